import type { LibraryWorkerApi } from './library-worker.ts';
import { WorkerPool } from './worker-pool.ts';

export type LibraryPool = WorkerPool<LibraryWorkerApi>;

/**
 * The pool that probes dropped files (type, hash, tags, cover) and analyses songs (decode,
 * features, emotion). Workers start on first use, one per core.
 */
export function createLibraryPool(): LibraryPool {
  return new WorkerPool<LibraryWorkerApi>(
    () => new Worker(new URL('./library-worker.ts', import.meta.url), { type: 'module', name: 'norae-library' }),
  );
}
