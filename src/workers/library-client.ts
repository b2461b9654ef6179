import type { ImportWorkerApi } from './import-worker.ts';
import { WorkerPool } from './worker-pool.ts';

export type ImportPool = WorkerPool<ImportWorkerApi>;

/** The pool that probes dropped files (type, hash, tags, cover); workers start on first use. */
export function createImportPool(): ImportPool {
  return new WorkerPool<ImportWorkerApi>(
    () => new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module', name: 'norae-import' }),
  );
}
