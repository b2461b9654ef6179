import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnalyseImageOptions, FaceAnalysis } from '../../../src/adapters/face/analyse-image.ts';
import { normaliseDistribution } from '../../../src/core/emotion/emotions.ts';
import { FaceAnalysisError } from '../../../src/core/face/face-errors.ts';
import { faceEmotionFromDistribution } from '../../../src/core/face/face-expressions.ts';
import type { createFaceReader as CreateFaceReader } from '../../../src/workers/face-client.ts';

/**
 * The face client and the face worker end to end over the real RPC and pool, with the worker's
 * script run in-process (a fake `self`) and the nets replaced: what crosses the boundary, who
 * owns the bitmaps, and that a typed failure keeps its name and code.
 */
const nets = vi.hoisted(() => ({
  loads: [] as { baseUrl: string; expressionModelUrl: unknown }[],
  loadError: null as Error | null,
  calls: [] as { source: unknown; options: Record<string, unknown> }[],
  frameError: null as Error | null,
}));

vi.mock('../../../src/adapters/face/face-models.ts', () => ({
  loadFaceModels: async (baseUrl: string, options: { expressionModelUrl?: unknown }) => {
    nets.loads.push({ baseUrl, expressionModelUrl: options.expressionModelUrl });
    if (nets.loadError) throw nets.loadError;
    return { backend: 'wasm' };
  },
}));

const ANALYSIS: FaceAnalysis = {
  faces: [{ ...faceEmotionFromDistribution(normaliseDistribution({ happy: 0.9, neutral: 0.1 })), box: { x: 10, y: 20, width: 100, height: 120 }, detector: 'tiny', detectionScore: 0.93 }],
  imageIsFace: false,
  imageIsFaceReason: null,
  widthPx: 640,
  heightPx: 480,
  passes: ['tiny'],
  timingsMs: { detect: 5, classify: 3, total: 8 },
};

vi.mock('../../../src/adapters/face/analyse-image.ts', () => ({
  analyseImage: async (source: unknown, options: AnalyseImageOptions & Record<string, unknown>) => {
    nets.calls.push({ source, options });
    if (nets.frameError) throw nets.frameError;
    return ANALYSIS;
  },
}));

/** The worker's global scope, in-process: what the worker script sees as `self`. */
class FakeScope extends EventTarget {
  readonly location = { origin: 'https://norae.test' };
  worker: FakeWorker | null = null;
  postMessage(message: unknown): void {
    // The reply crosses a real structured clone: a class instance or a function would not survive.
    const data = structuredClone(message);
    queueMicrotask(() => this.worker?.dispatchEvent(new MessageEvent('message', { data })));
  }
}

/** The page's handle on that worker: what it posts, and what it moves. */
class FakeWorker extends EventTarget {
  readonly transfers: unknown[][] = [];
  terminated = false;
  constructor(readonly scope: FakeScope) {
    super();
    scope.worker = this;
  }
  postMessage(message: unknown, transfer: unknown[] = []): void {
    this.transfers.push(transfer);
    queueMicrotask(() => this.scope.dispatchEvent(new MessageEvent('message', { data: message })));
  }
  terminate(): void {
    this.terminated = true;
  }
}

function bitmap(): ImageBitmap & { closed: boolean } {
  const b = { width: 640, height: 480, closed: false, close: () => (b.closed = true) };
  return b as unknown as ImageBitmap & { closed: boolean };
}

const URLS = { faceApiUrl: '/models/face/', expressionUrl: '/models/face-expression/' };
let createFaceReader: typeof CreateFaceReader;
let worker: FakeWorker;

describe('the face worker behind its client', () => {
  beforeEach(async () => {
    Object.assign(nets, { loads: [], loadError: null, calls: [], frameError: null });
    vi.resetModules();
    const scope = new FakeScope();
    worker = new FakeWorker(scope);
    vi.stubGlobal('self', scope);
    // A fresh worker script (its loaded nets forgotten) on the fake scope.
    await import('../../../src/workers/face-worker.ts');
    ({ createFaceReader } = await import('../../../src/workers/face-client.ts'));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('loads the nets once, from our own origin', async () => {
    const reader = await createFaceReader(URLS, () => worker as unknown as Worker);
    expect(reader.backend).toBe('wasm');
    expect(nets.loads).toEqual([{ baseUrl: 'https://norae.test/models/face/', expressionModelUrl: 'https://norae.test/models/face-expression/' }]);
    await reader.analyse(bitmap(), { mode: 'video' });
    await reader.analyse(bitmap(), { mode: 'photo' });
    expect(nets.loads).toHaveLength(1);
    expect(nets.calls.map((c) => c.options.mode)).toEqual(['video', 'photo']);
  });

  it('moves the frame to the worker, which closes it; the analysis comes back as plain data', async () => {
    const reader = await createFaceReader(URLS, () => worker as unknown as Worker);
    const frame = bitmap();
    const known = ANALYSIS.faces;
    const analysis = await reader.analyse(frame, { mode: 'video', knownFaces: known });
    expect(analysis).toEqual(ANALYSIS);
    expect(worker.transfers.at(-1)).toEqual([frame]);
    expect(frame.closed).toBe(true);
    const call = nets.calls.at(-1);
    expect(call?.source).toBe(frame);
    expect(call?.options).toMatchObject({ mode: 'video', models: { backend: 'wasm' } });
    // Only what skipping the detector needs crosses, not each face's distribution.
    expect(call?.options.knownFaces).toEqual([{ box: known[0].box, detector: 'tiny', detectionScore: 0.93 }]);
  });

  it('a typed failure keeps its name and code across the boundary, and the image is still closed', async () => {
    const reader = await createFaceReader(URLS, () => worker as unknown as Worker);
    nets.frameError = new FaceAnalysisError('no-face', 'no face found in the image');
    const photo = bitmap();
    const error = await reader.analyse(photo, { mode: 'photo' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FaceAnalysisError', code: 'no-face', message: 'no face found in the image' });
    expect(photo.closed).toBe(true);
  });

  it('nets that cannot load fail with model-load-failed, and the next try loads again', async () => {
    nets.loadError = new TypeError('Failed to fetch');
    const error = await createFaceReader(URLS, () => worker as unknown as Worker).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FaceAnalysisError', code: 'model-load-failed' });
    expect((error as Error).message).toContain('Failed to fetch');
    nets.loadError = null;
    const again = new FakeWorker(worker.scope);
    await expect(createFaceReader(URLS, () => again as unknown as Worker)).resolves.toMatchObject({ backend: 'wasm' });
    expect(nets.loads).toHaveLength(2);
  });

  it('a worker that crashes before answering is a load failure too, and is ended', async () => {
    const broken = new FakeWorker(new FakeScope());
    broken.postMessage = () => queueMicrotask(() => broken.dispatchEvent(Object.assign(new Event('error'), { message: 'Uncaught SyntaxError' })));
    const error = await createFaceReader(URLS, () => broken as unknown as Worker).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FaceAnalysisError', code: 'model-load-failed' });
    expect((error as Error).message).toContain('Uncaught SyntaxError');
    expect(broken.terminated).toBe(true);
  });
});
