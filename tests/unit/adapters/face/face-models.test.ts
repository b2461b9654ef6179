import { describe, expect, it } from 'vitest';
import { isFaceAnalysisError } from '../../../../src/core/face/face-errors.ts';
import { loadFaceModels, loadedFaceModels, type FetchLike } from '../../../../src/adapters/face/face-models.ts';
import { bundledWeightsDirectory, diskFetch, nodeFaceApi, nodeWasmDirectory } from '../../../../src/training/face/node-face.ts';

const backend = { order: ['wasm', 'cpu'] as const, wasmPathPrefix: nodeWasmDirectory() };

describe('loadFaceModels', () => {
  it('fails with model-load-failed when the weights are missing, then loads on retry, lazily and once', async () => {
    const requested: string[] = [];
    let offline = true;
    const fetch: FetchLike = async (url, init) => {
      requested.push(url.slice(url.lastIndexOf('/') + 1));
      if (offline) return { ok: false, status: 404, json: async () => null, arrayBuffer: async () => new ArrayBuffer(0) };
      return diskFetch(url, init);
    };
    const baseUrl = bundledWeightsDirectory();
    const failed = await loadFaceModels(baseUrl, { faceApi: nodeFaceApi(), fetch, backend }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isFaceAnalysisError(failed, 'model-load-failed')).toBe(true);
    expect(loadedFaceModels()).toBeNull();

    offline = false;
    requested.length = 0;
    const [a, b] = await Promise.all([
      loadFaceModels(baseUrl, { faceApi: nodeFaceApi(), fetch, backend }),
      loadFaceModels(baseUrl, { faceApi: nodeFaceApi(), fetch, backend }),
    ]);
    expect(a).toBe(b);
    expect(loadedFaceModels()).toBe(a);
    // Only the tiny detector and the expression net up front; each file fetched once.
    expect(requested.sort()).toEqual(['face_expression_model-weights_manifest.json', 'face_expression_model.bin', 'tiny_face_detector_model-weights_manifest.json', 'tiny_face_detector_model.bin']);
    expect(a.isLoaded('ssdMobilenetv1')).toBe(false);
    await Promise.all([a.ensure('ssdMobilenetv1'), a.ensure('ssdMobilenetv1')]);
    expect(a.isLoaded('ssdMobilenetv1')).toBe(true);
    expect(requested.filter((f) => f.startsWith('ssd'))).toHaveLength(2);
    expect(await loadFaceModels(baseUrl)).toBe(a); // cached: options not needed again
    a.dispose();
    expect(loadedFaceModels()).toBeNull();
    expect(a.isLoaded('tinyFaceDetector')).toBe(false);
  }, 60_000);
});
