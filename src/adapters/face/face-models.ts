import * as tf from '@tensorflow/tfjs';
import { IDENTITY_CALIBRATION, type FaceCalibration } from '../../core/face/calibration.ts';
import { FaceAnalysisError } from '../../core/face/face-errors.ts';
import { FACE_CLASS_COUNT } from '../../core/face/face-expressions.ts';
import { FaceExpressionContractError, parseFaceExpressionMetadata, type FaceExpressionMetadata } from '../../core/face/expression-contract.ts';
import { FACE_WEIGHT_MANIFESTS, type FaceNetName } from '../../core/face/face-weights.ts';
import { selectBackend, type SelectBackendOptions, type TfBackendName } from '../ml/tf-backend.ts';
import type { FaceApiEnv, FaceApiEnvironment, FaceApiLike, FaceApiNet } from './face-api-types.ts';

export { FACE_WEIGHT_MANIFESTS, type FaceNetName };

/** Loaded up front: everything a camera frame needs (tiny detector 190 KB, expression net 330 KB). */
const EAGER_NETS: readonly FaceNetName[] = ['tinyFaceDetector', 'faceExpressionNet'];

/** The subset of `fetch` the loader uses (Node evaluation passes one that reads files). */
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; arrayBuffer(): Promise<ArrayBuffer> }>;

export interface LoadFaceModelsOptions {
  /** face-api module to use; default: the browser ESM build sharing the app's tfjs (dynamic import). */
  faceApi?: FaceApiLike | (() => Promise<FaceApiLike>);
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Passed to `selectBackend()` (webgl → wasm → cpu), chosen once per page, worker or Node process. */
  backend?: SelectBackendOptions;
  /**
   * Where our own expression net lives (`model.json`, `weights.bin`, `metadata.json`); default:
   * `face-expression/` beside `baseUrl`. Null: face-api's net alone (only for measuring it).
   */
  expressionModelUrl?: string | null;
  /** Calibration to apply; default: the one in our net's metadata.json (identity without our net). */
  calibration?: FaceCalibration;
  /** Load these now too instead of on first use (SSD 5.4 MB, landmarks 350 KB). */
  preload?: readonly FaceNetName[];
  signal?: AbortSignal;
}

/** Stands in for the image and video elements a worker does not have: nothing is one. */
class NoElement {}

/**
 * face-api's environment inside a worker: an OffscreenCanvas for its canvas, no image or video
 * elements (Norae hands it tensors only), the worker's own fetch, no file system.
 */
function workerEnvironment(): FaceApiEnvironment {
  const noElement = (kind: string) => (): never => {
    throw new Error(`face-api asked for ${kind} element, which a worker does not have (Norae passes it tensors only)`);
  };
  return {
    Canvas: OffscreenCanvas,
    CanvasRenderingContext2D: OffscreenCanvasRenderingContext2D,
    Image: NoElement,
    ImageData,
    Video: NoElement,
    createCanvasElement: () => new OffscreenCanvas(1, 1),
    createImageElement: noElement('an image'),
    createVideoElement: noElement('a video'),
    fetch: (url, init) => fetch(url, init),
    readFile: (filePath) => Promise.reject(new Error(`face-api cannot read ${filePath}: a worker has no file system`)),
  };
}

async function defaultFaceApi(): Promise<FaceApiLike> {
  // The no-bundle ESM build imports `@tensorflow/tfjs` itself, so face-api and our expression net
  // share one tfjs engine and backend. (`face-api.esm.js` would bring a second tfjs copy.)
  const faceApi = (await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js')) as unknown as FaceApiLike & { env: FaceApiEnv };
  // In the face worker face-api finds neither a window nor Node, so it has no environment at all.
  if (!faceApi.env.isBrowser() && !faceApi.env.isNodejs()) faceApi.env.setEnv(workerEnvironment());
  return faceApi;
}

function joinUrl(baseUrl: string, name: string): string {
  return baseUrl.endsWith('/') ? `${baseUrl}${name}` : `${baseUrl}/${name}`;
}

/**
 * face-api's networks, loaded from our own origin, plus the calibration applied to the
 * expression net. The detectors and expression net are ready when {@link loadFaceModels}
 * resolves; SSD MobileNet and the landmark net load on first use.
 */
export class FaceModels {
  /** The tfjs backend in use (shared with our expression net). */
  readonly backend: TfBackendName;
  private readonly loads = new Map<FaceNetName, Promise<void>>();
  private disposed = false;

  constructor(
    readonly baseUrl: string,
    /** face-api itself (for the analysis code in this folder). */
    readonly faceApi: FaceApiLike,
    readonly calibration: FaceCalibration,
    /** Our own expression net and its contract; null when loaded without it. */
    readonly expression: OwnExpressionNet | null,
    backend: TfBackendName,
    private readonly fetchFn: FetchLike,
  ) {
    this.backend = backend;
  }

  /** Loads one network if it is not loaded yet (concurrent callers share the load). */
  ensure(name: FaceNetName, signal?: AbortSignal): Promise<void> {
    if (this.disposed) return Promise.reject(new FaceAnalysisError('models-not-loaded', 'face models were disposed'));
    const net: FaceApiNet = this.faceApi.nets[name];
    if (net.isLoaded) return Promise.resolve();
    let load = this.loads.get(name);
    if (!load) {
      load = this.fetchWeights(name, signal).then(
        (weightMap) => {
          if (!net.isLoaded) net.loadFromWeightMap(weightMap);
          else tf.dispose(Object.values(weightMap));
        },
        (error: unknown) => {
          this.loads.delete(name); // a later call may retry (e.g. once back online)
          if ((error as { name?: unknown } | null)?.name === 'AbortError') throw error;
          throw new FaceAnalysisError('model-load-failed', `could not load face model ${name} from ${this.baseUrl}: ${String(error)}`, { cause: error });
        },
      );
      this.loads.set(name, load);
    }
    return load;
  }

  /** True once a network is loaded. */
  isLoaded(name: FaceNetName): boolean {
    return this.faceApi.nets[name].isLoaded;
  }

  /** Frees every network's weights (GPU memory included). Analyses after this fail. */
  dispose(): void {
    this.disposed = true;
    for (const name of Object.keys(FACE_WEIGHT_MANIFESTS) as FaceNetName[]) {
      const net = this.faceApi.nets[name];
      if (net.isLoaded) net.dispose(false);
    }
    this.expression?.net.dispose();
    if (current === this) current = null;
  }

  /** Whether {@link dispose} was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private async fetchWeights(name: FaceNetName, signal?: AbortSignal): Promise<tf.NamedTensorMap> {
    const manifestUrl = joinUrl(this.baseUrl, FACE_WEIGHT_MANIFESTS[name]);
    const response = await this.fetchFn(manifestUrl, { signal });
    if (!response.ok) throw new Error(`${manifestUrl}: HTTP ${response.status}`);
    const manifest = (await response.json()) as tf.io.WeightsManifestConfig;
    const fetchShards = (urls: string[]) =>
      Promise.all(
        urls.map(async (url) => {
          const shard = await this.fetchFn(url, { signal });
          if (!shard.ok) throw new Error(`${url}: HTTP ${shard.status}`);
          return shard.arrayBuffer();
        }),
      );
    const prefix = this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`;
    return tf.io.weightsLoaderFactory(fetchShards)(manifest, prefix);
  }
}

/** Our expression net, loaded and checked against its metadata.json. */
export interface OwnExpressionNet {
  net: tf.LayersModel;
  metadata: FaceExpressionMetadata;
}

async function fetchOk(fetchFn: FetchLike, url: string, signal?: AbortSignal) {
  const response = await fetchFn(url, { signal });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/**
 * Loads our expression net from `url` and checks it against its metadata.json: input
 * [batch, sizePx, sizePx, 1], output [batch, 7]. Any mismatch throws a
 * {@link FaceExpressionContractError} that names both shapes.
 */
export async function loadOwnExpressionNet(url: string, fetchFn: FetchLike, signal?: AbortSignal): Promise<OwnExpressionNet> {
  const metadata = parseFaceExpressionMetadata(await (await fetchOk(fetchFn, joinUrl(url, 'metadata.json'), signal)).json());
  const modelJson = (await (await fetchOk(fetchFn, joinUrl(url, 'model.json'), signal)).json()) as tf.io.ModelJSON;
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(manifest.flatMap((group) => group.paths).map(async (path) => (await fetchOk(fetchFn, joinUrl(url, path), signal)).arrayBuffer()));
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      }),
  };
  const net = await tf.loadLayersModel(handler);
  const size = metadata.input.sizePx;
  const inputShape = net.inputs[0]?.shape ?? [];
  const outputShape = net.outputs[0]?.shape ?? [];
  if (net.inputs.length !== 1 || inputShape.slice(1).join(',') !== `${size},${size},1` || outputShape.slice(1).join(',') !== String(FACE_CLASS_COUNT)) {
    net.dispose();
    throw new FaceExpressionContractError(`the net takes [${inputShape.join(', ')}] → [${outputShape.join(', ')}], metadata.json says [batch, ${size}, ${size}, 1] → [batch, ${FACE_CLASS_COUNT}]`);
  }
  return { net, metadata };
}

let current: FaceModels | null = null;
let pending: { baseUrl: string; promise: Promise<FaceModels> } | null = null;

/**
 * Loads face-api's tiny face detector and expression net from `baseUrl` (our own origin, e.g.
 * `/models/face/`; the CSP forbids any other) on this realm's tfjs backend, once: later
 * calls with the same base URL share the first load. SSD MobileNet and the landmark net load
 * when first needed. Rejects with a `FaceAnalysisError` coded `model-load-failed` (the next
 * call retries). face-api's networks are module-wide, so loading from another base URL
 * replaces the previous set.
 */
export function loadFaceModels(baseUrl: string, options: LoadFaceModelsOptions = {}): Promise<FaceModels> {
  if (current && !current.isDisposed && current.baseUrl === baseUrl) return Promise.resolve(current);
  if (pending && pending.baseUrl === baseUrl) return pending.promise;
  const promise = (async () => {
    let faceApi: FaceApiLike;
    let backend: TfBackendName;
    try {
      backend = await selectBackend(options.backend);
      faceApi = typeof options.faceApi === 'function' ? await options.faceApi() : (options.faceApi ?? (await defaultFaceApi()));
    } catch (error) {
      throw new FaceAnalysisError('model-load-failed', `face analysis cannot start: ${String(error)}`, { cause: error });
    }
    const fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
    const expressionUrl = options.expressionModelUrl === undefined ? joinUrl(baseUrl, '../face-expression/') : options.expressionModelUrl;
    const expression =
      expressionUrl === null
        ? null
        : await loadOwnExpressionNet(expressionUrl, fetchFn, options.signal).catch((error: unknown) => {
            if ((error as { name?: unknown } | null)?.name === 'AbortError') throw error;
            throw new FaceAnalysisError('model-load-failed', `could not load Norae's expression net from ${expressionUrl}: ${String(error)}`, { cause: error });
          });
    const calibration = options.calibration ?? expression?.metadata.calibration ?? IDENTITY_CALIBRATION;
    if (current && current.baseUrl !== baseUrl) current.dispose();
    const models = new FaceModels(baseUrl, faceApi, calibration, expression, backend, fetchFn);
    try {
      await Promise.all([...new Set([...EAGER_NETS, ...(options.preload ?? [])])].map((name) => models.ensure(name, options.signal)));
    } catch (error) {
      expression?.net.dispose();
      throw error;
    }
    current = models;
    return models;
  })();
  pending = { baseUrl, promise };
  const clear = () => {
    if (pending?.promise === promise) pending = null;
  };
  promise.then(clear, clear);
  return promise;
}

/** The models from the last successful {@link loadFaceModels}, or null. */
export function loadedFaceModels(): FaceModels | null {
  return current && !current.isDisposed ? current : null;
}
