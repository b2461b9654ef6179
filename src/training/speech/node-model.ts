import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { selectBackend, type TfBackendName } from '../../adapters/ml/tf-backend.ts';
import { loadSpeechEmotionModel, type SpeechEmotionPredictor } from '../../adapters/ml/speech-emotion-model.ts';

/** The shipped model's folder, relative to the repository root. */
export const SHIPPED_MODEL_DIR = 'models/speech-emotion';

/** Folder holding the tfjs wasm binaries in node_modules (Node reads them from disk). */
export function nodeWasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

/**
 * Selects a tfjs backend for Node — wasm by default (its SIMD kernels are ~10× faster than
 * the pure-JS cpu backend), falling back to cpu — and loads the model in `modelDir` through
 * the same loader the app uses (`loadSpeechEmotionModel`), from files instead of URLs.
 */
export async function loadSpeechModelFromDisk(modelDir = SHIPPED_MODEL_DIR, backend: TfBackendName = 'wasm'): Promise<{ predictor: SpeechEmotionPredictor; backend: TfBackendName }> {
  const active = await selectBackend({ order: backend === 'cpu' ? ['cpu'] : [backend, 'cpu'], wasmPathPrefix: nodeWasmDirectory() });
  const readJson = (name: string): unknown => JSON.parse(readFileSync(join(modelDir, name), 'utf8'));
  const modelJson = readJson('model.json') as { weightsManifest?: { paths: string[] }[] };
  const weightFiles: Record<string, Uint8Array> = {};
  for (const group of modelJson.weightsManifest ?? []) for (const path of group.paths) weightFiles[path] = new Uint8Array(readFileSync(join(modelDir, path)));
  const predictor = await loadSpeechEmotionModel({ metadata: readJson('metadata.json'), modelJson, weightFiles });
  return { predictor, backend: active };
}
