/// <reference lib="webworker" />
import { FaceAnalysisError } from '../core/face/face-errors.ts';
import type { AnalysedFace, FaceAnalysis } from '../adapters/face/analyse-image.ts';
import type { FaceModels } from '../adapters/face/face-models.ts';
import type { TfBackendName } from '../adapters/ml/tf-backend.ts';
import { exposeWorker } from './rpc.ts';

/** Where the face nets are served: face-api's weights and Norae's own expression net (same origin). */
export interface FaceModelUrls {
  faceApiUrl: string;
  expressionUrl: string;
}

/** What the page needs to know of the loaded nets. */
export interface FaceWorkerInfo {
  backend: TfBackendName;
}

/** A face found in a recent frame: classified again where it was, without running the detector. */
export type KnownFace = Pick<AnalysedFace, 'box' | 'detector' | 'detectionScore'>;

/** One image to read: a camera frame or a photo, moved here (the worker closes it). */
export interface FaceImageRequest extends FaceModelUrls {
  image: VideoFrame | ImageBitmap;
  /** 'video': the fast path for camera frames; 'photo': the thorough cascade (SSD, tiles). */
  mode: 'photo' | 'video';
  knownFaces?: KnownFace[];
}

/** The nets, loaded, and the code that runs them. */
interface Ready {
  models: FaceModels;
  analyseImage: typeof import('../adapters/face/analyse-image.ts').analyseImage;
}

let loaded: { key: string; ready: Promise<Ready> } | null = null;

/** A typed failure's code, read by value (as the page reads it): no class identity to depend on. */
const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * face-api's nets and Norae's expression net, loaded once per worker on the worker's own tfjs
 * backend (WebGL on an OffscreenCanvas where a real GPU exists, else wasm), with the analysis
 * code. A worker that was ended (idle, crashed) loads them again; a failed load is retried on the
 * next call. Any failure, a chunk that could not be fetched included, is `model-load-failed`: the
 * camera stops and says so rather than failing every frame.
 */
function readyFor(urls: FaceModelUrls): Promise<Ready> {
  const key = `${urls.faceApiUrl}|${urls.expressionUrl}`;
  if (loaded?.key === key) return loaded.ready;
  const ready = (async () => {
    try {
      const [{ loadFaceModels }, { analyseImage }] = await Promise.all([import('../adapters/face/face-models.ts'), import('../adapters/face/analyse-image.ts')]);
      const absolute = (url: string): string => new URL(url, self.location.origin).href;
      // No warm-up run: the first frame sets up what a warm-up would (kernels, memory), so one
      // would only delay it (measured on wasm, a busy 2-core machine: ~2 s later to the first box).
      const models = await loadFaceModels(absolute(urls.faceApiUrl), { expressionModelUrl: absolute(urls.expressionUrl) });
      return { models, analyseImage };
    } catch (error) {
      if (codeOf(error) === 'model-load-failed') throw error;
      throw new FaceAnalysisError('model-load-failed', `the face nets could not be made ready in the face worker: ${String(error)}`, { cause: error });
    }
  })();
  loaded = { key, ready };
  ready.catch(() => {
    if (loaded?.ready === ready) loaded = null;
  });
  return ready;
}

/** Loads the nets; answers with the backend they run on. */
async function prepare(arg: FaceModelUrls): Promise<FaceWorkerInfo> {
  const { models } = await readyFor(arg);
  return { backend: models.backend };
}

/**
 * Reads every face in one image (loading the nets first if this worker has not). Resolves to the
 * plain analysis (boxes in the image's pixels); throws FaceAnalysisError — its code (`no-face`,
 * `blank-image`, `model-load-failed`…) survives the boundary. The image is closed either way.
 */
async function analyse(arg: FaceImageRequest): Promise<FaceAnalysis> {
  try {
    const { models, analyseImage } = await readyFor(arg);
    return await analyseImage(arg.image, { models, mode: arg.mode, knownFaces: arg.knownFaces });
  } finally {
    arg.image.close();
  }
}

export const faceWorkerApi = { prepare, analyse };
export type FaceWorkerApi = typeof faceWorkerApi;

exposeWorker(faceWorkerApi, self);
