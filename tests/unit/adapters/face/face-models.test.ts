import { describe, expect, it } from 'vitest';
import { isFaceAnalysisError } from '../../../../src/core/face/face-errors.ts';
import { loadFaceModels, loadedFaceModels, type FetchLike } from '../../../../src/adapters/face/face-models.ts';
import { bundledWeightsDirectory, diskFetch, nodeFaceApi, nodeWasmDirectory, shippedExpressionDirectory } from '../../../../src/training/face/node-face.ts';

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
    const failed = await loadFaceModels(baseUrl, { faceApi: nodeFaceApi(), fetch, backend, expressionModelUrl: shippedExpressionDirectory() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isFaceAnalysisError(failed, 'model-load-failed')).toBe(true);
    expect(loadedFaceModels()).toBeNull();

    offline = false;
    requested.length = 0;
    const [a, b] = await Promise.all([
      loadFaceModels(baseUrl, { faceApi: nodeFaceApi(), fetch, backend, expressionModelUrl: shippedExpressionDirectory() }),
      loadFaceModels(baseUrl, { faceApi: nodeFaceApi(), fetch, backend, expressionModelUrl: shippedExpressionDirectory() }),
    ]);
    expect(a).toBe(b);
    expect(loadedFaceModels()).toBe(a);
    // Only the tiny detector and the two expression nets up front; each file fetched once.
    expect(requested.sort()).toEqual([
      'face_expression_model-weights_manifest.json',
      'face_expression_model.bin',
      'metadata.json',
      'model.json',
      'tiny_face_detector_model-weights_manifest.json',
      'tiny_face_detector_model.bin',
      'weights.bin',
    ]);
    expect(a.expression?.metadata.input.sizePx).toBe(48);
    expect(a.isLoaded('ssdMobilenetv1')).toBe(false);
    await Promise.all([a.ensure('ssdMobilenetv1'), a.ensure('ssdMobilenetv1')]);
    expect(a.isLoaded('ssdMobilenetv1')).toBe(true);
    expect(requested.filter((f) => f.startsWith('ssd'))).toHaveLength(2);
    expect(await loadFaceModels(baseUrl)).toBe(a); // cached: options not needed again
    a.dispose();
    expect(loadedFaceModels()).toBeNull();
    expect(a.isLoaded('tinyFaceDetector')).toBe(false);
  }, 60_000);

  it("refuses our expression net when its metadata.json does not describe it, naming both shapes", async () => {
    // metadata.json claims 64 px inputs; the net takes 48 px.
    const fetch: FetchLike = async (url, init) => {
      const response = await diskFetch(url, init);
      if (!url.endsWith('metadata.json')) return response;
      const metadata = (await response.json()) as { input: { sizePx: number } };
      return { ...response, json: async () => ({ ...metadata, input: { ...metadata.input, sizePx: 64 } }) };
    };
    const failed = await loadFaceModels(bundledWeightsDirectory(), { faceApi: nodeFaceApi(), fetch, backend, expressionModelUrl: shippedExpressionDirectory() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isFaceAnalysisError(failed, 'model-load-failed')).toBe(true);
    expect(String((failed as Error).message)).toMatch(/takes \[-?\w*, 48, 48, 1\].*says \[batch, 64, 64, 1\]/);
    expect(loadedFaceModels()).toBeNull();
  }, 60_000);
});
