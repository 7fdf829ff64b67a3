/**
 * The hash worker: the sha256 of one file at a time, from blocks sent in file order (hash-pool.ts).
 * Each block goes back to the sender for reuse.
 */
import { createHash, type Hash } from 'node:crypto';
import type { HashReply, HashRequest } from './hash-pool.js';
import { serveBatches } from '../workers/serve-batches.js';

let hash: Hash = createHash('sha256');

serveBatches<HashRequest, HashReply>((request) => {
  if (request.kind === 'digest') {
    const sha256 = hash.digest('hex');
    hash = createHash('sha256');
    return { result: { sha256 } };
  }
  hash.update(request.bytes.subarray(0, request.length));
  return { result: { bytes: request.bytes }, transfer: [request.bytes.buffer as ArrayBuffer] };
});
