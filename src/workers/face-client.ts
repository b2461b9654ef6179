import type { FaceAnalysis } from '../adapters/face/analyse-image.ts';
import type { TfBackendName } from '../adapters/ml/tf-backend.ts';
import type { FaceModelUrls, FaceWorkerApi, KnownFace } from './face-worker.ts';
import { WorkerPool, WorkerTaskError } from './worker-pool.ts';

export type { FaceAnalysis, FaceModelUrls, KnownFace };

/**
 * The face nets as the page sees it: loaded and run in a worker, so detection and the
 * expression nets never hold the page's thread while the camera runs.
 */
export interface FaceReader {
  readonly backend: TfBackendName;
  /**
   * Reads every face in `image` (a camera frame or a photo). The frame or bitmap is moved to the
   * worker, not copied: the caller gives it up (the worker closes it). `knownFaces`: the faces of a
   * recent frame, classified again without running the detector. Rejects with the worker's
   * FaceAnalysisError, name and code kept (`no-face`, `blank-image`, `model-load-failed`…).
   * There is no cancelling: the pool stops a task only by ending its worker, and with it the
   * loaded nets; a frame takes tens of milliseconds, so a caller that stops simply drops the answer.
   */
  analyse(image: VideoFrame | ImageBitmap, options: { mode: 'photo' | 'video'; knownFaces?: readonly KnownFace[] }): Promise<FaceAnalysis>;
}

/**
 * The first load (face-api's weights, our net, the backend, the warm-up) sends no progress; on a
 * slow phone it can take a while, and so can a large group photo (SSD on tiles). Long enough for
 * both, short enough that a wedged worker is replaced and the listener told.
 */
const FACE_STALL_TIMEOUT_MS = 90_000;
/** The worker (and the nets in it) stays while the listener is likely to look again. */
const FACE_IDLE_TIMEOUT_MS = 10 * 60_000;

const startFaceWorker = (): Worker => new Worker(new URL('./face-worker.ts', import.meta.url), { type: 'module', name: 'norae-face' });

/**
 * Starts the face worker and loads the nets at `urls` in it (once; a worker ended after idling
 * or crashing loads them again on its next image). Rejects with a `model-load-failed` error when
 * the nets cannot be loaded or the worker cannot start. `createWorker`: for tests.
 */
export async function createFaceReader(urls: FaceModelUrls, createWorker: () => Worker = startFaceWorker): Promise<FaceReader> {
  const pool = new WorkerPool<FaceWorkerApi>(createWorker, { size: 1, stallTimeoutMs: FACE_STALL_TIMEOUT_MS, idleTimeoutMs: FACE_IDLE_TIMEOUT_MS });
  let backend: TfBackendName;
  try {
    ({ backend } = await pool.run('prepare', urls));
  } catch (error) {
    pool.terminate();
    const e = error as { name?: string; message?: string; code?: string };
    // A worker that never started (its script missing, a crash) is a load failure too, for the listener.
    if (e?.code === 'model-load-failed') throw error;
    throw new WorkerTaskError('FaceAnalysisError', `the face worker could not start: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`, 'model-load-failed');
  }
  return {
    backend,
    analyse: (image, { mode, knownFaces }) =>
      pool.run(
        'analyse',
        // Only what the detector's skip needs crosses: not each known face's distribution.
        { ...urls, image, mode, knownFaces: knownFaces?.map(({ box, detector, detectionScore }) => ({ box, detector, detectionScore })) },
        { transfer: [image] },
      ),
  };
}
