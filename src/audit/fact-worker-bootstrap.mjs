// Development only: Node 20 cannot start a worker from a .ts file, so when mixsmith runs from its
// TypeScript sources (tsx, vitest) the fact pool starts this file, which loads the worker through
// tsx. Built code (dist/) starts the compiled .js worker directly and never loads this file.
import { workerData } from 'node:worker_threads';

const { tsImport } = await import('tsx/esm/api');
await tsImport(workerData.entry, import.meta.url);
