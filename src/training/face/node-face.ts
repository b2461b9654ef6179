import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaceApiLike } from '../../adapters/face/face-api-types.ts';
import { loadFaceModels, type FaceModels, type FetchLike, type LoadFaceModelsOptions } from '../../adapters/face/face-models.ts';
import { selectBackend, type SelectBackendOptions, type TfBackendName } from '../../adapters/ml/tf-backend.ts';
import { bundledWeightsDirectory } from './face-weights.ts';

export { bundledWeightsDirectory };

/** Our own expression net as shipped: the repository's `models/face-expression/`. */
export function shippedExpressionDirectory(): string {
  return fileURLToPath(new URL('../../../models/face-expression/', import.meta.url));
}

const require = createRequire(import.meta.url);

/** Folder holding the tfjs wasm binaries (Node reads them from disk). */
export function nodeWasmDirectory(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

/**
 * face-api's Node wasm build. It `require`s `@tensorflow/tfjs` — the very module our adapters
 * import in Node — so both sides share one tfjs engine, as the browser's no-bundle ESM build does.
 * (The ESM build itself cannot load in Node: it imports tfjs's extension-less ESM files.)
 */
export function nodeFaceApi(): FaceApiLike {
  return require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiLike;
}

/** A `fetch` over the local file system: the URL is a file path. */
export const diskFetch: FetchLike = async (url) => {
  try {
    const bytes = await readFile(url);
    return {
      ok: true,
      status: 200,
      json: async () => JSON.parse(bytes.toString('utf8')) as unknown,
      arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    };
  } catch {
    return { ok: false, status: 404, json: async () => null, arrayBuffer: async () => new ArrayBuffer(0) };
  }
};

/**
 * Loads the face models in Node through the app's own loader (`loadFaceModels`), from files
 * (face-api's from its package, ours from `models/face-expression/` unless told otherwise):
 * wasm backend by default (~20× faster than the pure-JS cpu backend here), cpu as fallback.
 */
export async function loadFaceModelsInNode(
  options: { weightsDir?: string; backend?: TfBackendName } & Pick<LoadFaceModelsOptions, 'calibration' | 'preload' | 'expressionModelUrl'> = {},
): Promise<{ models: FaceModels; backend: TfBackendName }> {
  const backendOptions: SelectBackendOptions = { order: options.backend === 'cpu' ? ['cpu'] : [options.backend ?? 'wasm', 'cpu'], wasmPathPrefix: nodeWasmDirectory() };
  const backend = await selectBackend(backendOptions);
  const models = await loadFaceModels(options.weightsDir ?? bundledWeightsDirectory(), {
    faceApi: nodeFaceApi(),
    fetch: diskFetch,
    backend: backendOptions,
    calibration: options.calibration,
    preload: options.preload,
    expressionModelUrl: options.expressionModelUrl === undefined ? shippedExpressionDirectory() : options.expressionModelUrl,
  });
  return { models, backend };
}
