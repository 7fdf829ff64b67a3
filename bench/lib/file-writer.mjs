/**
 * A buffered synchronous file writer: strings are collected and written in ~8 MB blocks, with an
 * optional sha256 over every byte. Synchronous on purpose: the generator is CPU-bound and one
 * blocking write per block costs less than stream back-pressure bookkeeping.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

export class FileWriter {
  constructor(path, { hash = false, blockChars = 8 << 20 } = {}) {
    this.fd = openSync(path, 'w');
    this.hash = hash ? createHash('sha256') : null;
    this.parts = [];
    this.chars = 0;
    this.blockChars = blockChars;
    this.bytes = 0;
  }

  write(text) {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= this.blockChars) this.flush();
  }

  flush() {
    if (this.parts.length === 0) return;
    const block = Buffer.from(this.parts.join(''), 'utf8');
    this.hash?.update(block);
    writeSync(this.fd, block);
    this.bytes += block.length;
    this.parts = [];
    this.chars = 0;
  }

  /** Flushes, closes, and returns { bytes, sha256 }. */
  close() {
    this.flush();
    closeSync(this.fd);
    return { bytes: this.bytes, sha256: this.hash ? this.hash.digest('hex') : null };
  }
}
