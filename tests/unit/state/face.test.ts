import { beforeEach, describe, expect, it } from 'vitest';
import { CameraError, type CameraSession } from '../../../src/adapters/camera/camera.ts';
import type { AnalysedFace, FaceAnalysis } from '../../../src/adapters/face/analyse-image.ts';
import { normaliseDistribution, type EmotionDistribution } from '../../../src/core/emotion/emotions.ts';
import { FaceAnalysisError } from '../../../src/core/face/face-errors.ts';
import { faceEmotionFromDistribution } from '../../../src/core/face/face-expressions.ts';
import { FaceTracker } from '../../../src/core/face/face-tracker.ts';
import { FaceState, type FaceAnalyser, type FaceDeps } from '../../../src/state/face.svelte.ts';
import { WorkerTaskError } from '../../../src/workers/worker-pool.ts';

const HAPPY = normaliseDistribution({ happy: 0.8, neutral: 0.2 });
const SAD = normaliseDistribution({ sad: 0.7, neutral: 0.3 });

function face(distribution: EmotionDistribution, x: number, sizePx: number): AnalysedFace {
  return { ...faceEmotionFromDistribution(distribution), box: { x, y: 10, width: sizePx, height: sizePx }, detector: 'tiny', detectionScore: 0.9 };
}

/** What the fake face nets see: the faces in every frame (empty: no face), how often they looked, whether they load. */
const world = {
  faces: [] as AnalysedFace[],
  /** Thrown by every frame instead of reading it (e.g. the face worker's failure, as it arrives on the page). */
  frameError: null as Error | null,
  frames: 0,
  loadFails: false,
  /** How long the nets take to load (ms). */
  loadMs: 0,
  /** How long one frame takes to read (ms). */
  frameMs: 0,
  cameraDenied: false,
  cameraStops: 0,
  loseCamera: (): void => undefined,
  closedBitmaps: 0,
};

const analyser: FaceAnalyser = {
  analyseImage: async (): Promise<FaceAnalysis> => {
    world.frames += 1;
    await wait(world.frameMs);
    if (world.frameError) throw world.frameError;
    if (world.faces.length === 0) throw new FaceAnalysisError('no-face', 'no face in view');
    return { faces: world.faces, imageIsFace: false, imageIsFaceReason: null, widthPx: 640, heightPx: 480, passes: ['tiny'], timingsMs: { detect: 1, classify: 1, total: 2 } };
  },
  newTracker: () => new FaceTracker(),
};

const deps: FaceDeps = {
  loadAnalyser: async () => {
    await wait(world.loadMs);
    if (world.loadFails) throw new FaceAnalysisError('model-load-failed', 'the weights are missing');
    return analyser;
  },
  openCamera: async (video) => {
    if (world.cameraDenied) throw new CameraError('denied');
    let lose = (): void => undefined;
    const ended = new Promise<void>((resolve) => (lose = resolve));
    world.loseCamera = lose;
    return { video, stop: () => (world.cameraStops += 1), ended } satisfies CameraSession;
  },
  loadImageFile: async () => ({ width: 800, height: 600, close: () => (world.closedBitmaps += 1) }) as unknown as ImageBitmap,
};

const VIDEO = { videoWidth: 640, videoHeight: 480 } as HTMLVideoElement;
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('FaceState', () => {
  beforeEach(() => {
    Object.assign(world, { faces: [], frameError: null, frames: 0, loadFails: false, loadMs: 0, frameMs: 0, cameraDenied: false, cameraStops: 0, closedBitmaps: 0 });
  });

  it('the camera reads every frame: the faces in view, smoothed, and the frames a second; off turns its light off', async () => {
    world.faces = [face(HAPPY, 0, 120)];
    const state = new FaceState(deps);
    await state.startCamera(VIDEO);
    expect(state.cameraOn).toBe(true);
    await wait(250);
    expect(state.live).toHaveLength(1);
    expect(state.live[0].shown).toBe('happy');
    expect(state.fps).toBeGreaterThan(2);
    state.stopCamera();
    expect(state.cameraOn).toBe(false);
    expect(world.cameraStops).toBe(1);
    const frames = world.frames;
    await wait(100);
    expect(world.frames).toBe(frames);
  });

  describe('sample: a moment as a promise', () => {
    it('looks until the caller is done, then resolves to the largest face of the last second and turns the camera off', async () => {
      world.faces = [face(HAPPY, 0, 60), face(SAD, 200, 150)];
      const state = new FaceState(deps);
      const outcome = await state.sample(VIDEO, { until: wait(300) });
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.reading.top).toBe('sad');
      expect(outcome.reading.faceCount).toBe(2);
      expect(outcome.reading.source).toBe('camera');
      expect(state.cameraOn).toBe(false);
      expect(world.cameraStops).toBe(1);
    });

    it('a caller done before the nets have read a frame (still loading) gets their first look, not nothing', async () => {
      world.faces = [face(HAPPY, 0, 120)];
      world.loadMs = 200;
      world.frameMs = 100;
      const state = new FaceState(deps);
      const outcome = await state.sample(VIDEO, { until: Promise.resolve() });
      expect(outcome).toMatchObject({ ok: true, reading: { top: 'happy' } });
      expect(world.frames).toBe(1);
    });

    it('no face in view resolves to no-face (it never rejects)', async () => {
      const state = new FaceState(deps);
      expect(await state.sample(VIDEO, { until: wait(150) })).toMatchObject({ ok: false, code: 'no-face' });
      expect(world.frames).toBeGreaterThan(0);
      expect(state.cameraOn).toBe(false);
    });

    it('a denied camera resolves to its code, and the panel names it', async () => {
      world.cameraDenied = true;
      const state = new FaceState(deps);
      expect(await state.sample(VIDEO, { until: Promise.resolve() })).toMatchObject({ ok: false, code: 'denied' });
      expect(state.error?.code).toBe('denied');
    });

    it('face nets that cannot load resolve to model-load-failed', async () => {
      world.loadFails = true;
      const state = new FaceState(deps);
      expect(await state.sample(VIDEO, { until: Promise.resolve() })).toMatchObject({ ok: false, code: 'model-load-failed' });
    });

    it('a camera that goes away while looking resolves to camera-lost', async () => {
      world.faces = [face(HAPPY, 0, 120)];
      const state = new FaceState(deps);
      const outcome = state.sample(VIDEO, { until: wait(300) });
      await wait(100);
      world.loseCamera();
      expect(await outcome).toMatchObject({ ok: false, code: 'camera-lost' });
    });

    it('an aborted signal stops looking at once: cancelled', async () => {
      world.faces = [face(HAPPY, 0, 120)];
      const state = new FaceState(deps);
      const controller = new AbortController();
      const outcome = state.sample(VIDEO, { until: new Promise(() => undefined), signal: controller.signal });
      await wait(100);
      controller.abort();
      expect(await outcome).toMatchObject({ ok: false, code: 'cancelled' });
      expect(state.cameraOn).toBe(false);
    });
  });

  it('a photo: every face read, the largest chosen until the listener picks another', async () => {
    world.faces = [face(SAD, 200, 150), face(HAPPY, 0, 60)];
    const state = new FaceState(deps);
    await state.openPhoto(new File([], 'group.jpg'));
    expect(state.phase).toBe('photo');
    expect(state.reading).toMatchObject({ top: 'sad', source: 'photo', faceCount: 2 });
    state.choose(1);
    expect(state.reading?.top).toBe('happy');
  });

  describe('failures from the face worker (a name and a code, not the class)', () => {
    it('a photo without a face: no-face, and its image is freed', async () => {
      world.frameError = new WorkerTaskError('FaceAnalysisError', 'no face found in the image', 'no-face');
      const state = new FaceState(deps);
      await state.openPhoto(new File([], 'wall.jpg'));
      expect(state.error).toEqual({ code: 'no-face', detail: 'no face found in the image' });
      expect(world.closedBitmaps).toBe(1);
    });

    it('the camera keeps looking through frames without a face, and stops when the nets cannot load', async () => {
      world.frameError = new WorkerTaskError('FaceAnalysisError', 'no face', 'no-face');
      const state = new FaceState(deps);
      await state.startCamera(VIDEO);
      await wait(150);
      expect(state.phase).toBe('camera');
      expect(world.frames).toBeGreaterThan(1);
      world.frameError = new WorkerTaskError('FaceAnalysisError', 'could not load face model tinyFaceDetector', 'model-load-failed');
      await wait(150);
      expect(state.phase).toBe('error');
      expect(state.error?.code).toBe('model-load-failed');
      const frames = world.frames;
      await wait(100);
      expect(world.frames).toBe(frames);
      state.stopCamera();
    });
  });

  it('a photo without a face says so and frees its image', async () => {
    const state = new FaceState(deps);
    await state.openPhoto(new File([], 'wall.jpg'));
    expect(state.phase).toBe('error');
    expect(state.error?.code).toBe('no-face');
    expect(world.closedBitmaps).toBe(1);
  });
});
