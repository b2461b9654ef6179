import type { EmotionLabel } from '../core/emotion/emotions.ts';
import type { BoxPx } from '../core/face/face-boxes.ts';
import type { FaceErrorCode } from '../core/face/face-errors.ts';
import type { FaceEmotion } from '../core/face/face-expressions.ts';
import type { FaceTracker, TrackedFace } from '../core/face/face-tracker.ts';
import { CameraError, openCamera, type CameraErrorCode, type CameraSession } from '../adapters/camera/camera.ts';
import type { AnalysedFace, FaceAnalysis } from '../adapters/face/analyse-image.ts';
import type { KnownFace } from '../workers/face-client.ts';

/** Where face-api's weights are served (copied from node_modules by the build). */
export const FACE_MODEL_URL = '/models/face/';
/** Where Norae's own expression net is served (copied from models/face-expression by the build). */
export const FACE_EXPRESSION_MODEL_URL = '/models/face-expression/';

export type FaceErrorKind = CameraErrorCode | FaceErrorCode | 'camera-lost';

/** A reading the rest of the app can use: from a photo's chosen face or a camera moment. */
export interface FaceReading extends FaceEmotion {
  source: 'camera' | 'photo';
  /** How many faces were in view / in the photo. */
  faceCount: number;
}

export interface PhotoResult {
  bitmap: ImageBitmap;
  faces: AnalysedFace[];
  imageIsFace: boolean;
  /** Index of the face whose emotion counts (the largest is preselected). */
  chosen: number;
  elapsedMs: number;
}

/** face-api and our expression net, loaded, with what the camera loop needs around them. */
export interface FaceAnalyser {
  /**
   * Reads every face in the video's current frame ('video': the fast path) or in a photo
   * ('photo': the thorough cascade); `knownFaces` skips detection and reads those regions again.
   * The caller keeps its video and bitmap. Rejects with a typed failure (its `code`: `no-face`,
   * `model-load-failed`…).
   */
  analyseImage(source: HTMLVideoElement | ImageBitmap, options: { mode: 'photo' | 'video'; knownFaces?: readonly KnownFace[] }): Promise<FaceAnalysis>;
  /** A tracker that follows faces across frames and averages the last second. */
  newTracker(): FaceTracker;
}

/** What the face needs from the world; tests pass fakes. */
export interface FaceDeps {
  /** Loads the models once (rejects when they cannot be loaded). */
  loadAnalyser(): Promise<FaceAnalyser>;
  openCamera(video: HTMLVideoElement): Promise<CameraSession>;
  loadImageFile(file: File): Promise<ImageBitmap>;
}

/**
 * What {@link FaceState.sample} resolves to: the moment's reading, or why there is none (the
 * panel's error code; `cancelled` when the caller's signal ended it).
 */
export type FaceOutcome = { ok: true; reading: FaceReading } | { ok: false; code: FaceErrorKind | 'cancelled'; detail: string };

let analyserPromise: Promise<FaceAnalyser> | null = null;

/**
 * Starts the face worker and loads face-api's nets and our expression net in it, once, lazily (a
 * failed load is retried on the next call). The page itself never loads tfjs or face-api: each
 * camera frame (a VideoFrame) or photo (a bitmap) is moved to the worker.
 */
export function loadFaceAnalyser(): Promise<FaceAnalyser> {
  analyserPromise ??= (async () => {
    const [{ createFaceReader }, { snapshotImage }, { FaceTracker }] = await Promise.all([
      import('../workers/face-client.ts'),
      import('../adapters/face/snapshot-image.ts'),
      import('../core/face/face-tracker.ts'),
    ]);
    const reader = await createFaceReader({ faceApiUrl: FACE_MODEL_URL, expressionUrl: FACE_EXPRESSION_MODEL_URL });
    return {
      analyseImage: async (source, options) => reader.analyse(await snapshotImage(source), options),
      newTracker: () => new FaceTracker(),
    };
  })();
  analyserPromise.catch(() => (analyserPromise = null));
  return analyserPromise;
}

const browserFaceDeps: FaceDeps = {
  loadAnalyser: loadFaceAnalyser,
  openCamera,
  loadImageFile: async (file) => (await import('../adapters/face/load-image-file.ts')).loadImageFile(file),
};

/**
 * The camera loop runs the face detector at most this often and, in between, reads expressions
 * in the boxes it last found: the detector is the larger part of a frame's cost, and a face moves
 * little in a quarter of a second. A frame without a face sends the next frame back to detection.
 */
export const DETECT_EVERY_MS = 250;

/**
 * How long a moment waits, after its caller is done, for the camera's first frame to be read
 * (the face nets load in their worker while the voice is heard; on a slow machine they may not be
 * ready when a short sentence ends). Longer would keep the listener waiting for a playlist.
 */
export const FIRST_LOOK_MAX_MS = 5000;

const isAbort = (error: unknown): boolean => (error as { name?: string } | null)?.name === 'AbortError';

/**
 * The face panel: a live camera with boxes and expression bars on every face (the camera is on
 * only while the panel is in use), "use this moment" (the last second of frames averaged), and
 * photos with every face boxed and a choice of whose emotion counts.
 */
export class FaceState {
  phase = $state<'idle' | 'loading' | 'camera' | 'photo' | 'error'>('idle');
  error = $state<{ code: FaceErrorKind; detail: string } | null>(null);
  /** Faces in the latest camera frame, smoothed over frames. */
  live = $state.raw<TrackedFace[]>([]);
  /** Frames analysed per second (camera). */
  fps = $state(0);
  /** Size of the camera frame, for drawing boxes. */
  frameSize = $state<{ widthPx: number; heightPx: number } | null>(null);
  photo = $state.raw<PhotoResult | null>(null);
  reading = $state.raw<FaceReading | null>(null);
  /** Whether the camera (and its light) is on. */
  cameraOn = $state(false);
  unsupported: readonly EmotionLabel[] = ['contempt'];

  readonly #deps: FaceDeps;
  #camera: CameraSession | null = null;
  #tracker: FaceTracker | null = null;
  #loopToken = 0;
  /** Frames read since the camera started, and who waits for the next one. */
  #framesRead = 0;
  #waitingForFrame: (() => void) | null = null;

  constructor(deps: FaceDeps = browserFaceDeps) {
    this.#deps = deps;
  }

  /** Starts the camera into `video` and reads every face until stopped. */
  async startCamera(video: HTMLVideoElement): Promise<void> {
    this.stopCamera();
    this.error = null;
    this.phase = 'loading';
    this.reading = null;
    let analyser: FaceAnalyser;
    try {
      [analyser, this.#camera] = await Promise.all([this.#deps.loadAnalyser(), this.#deps.openCamera(video)]);
    } catch (error) {
      this.#camera?.stop();
      this.#camera = null;
      this.#fail(error);
      return;
    }
    const camera = this.#camera;
    this.cameraOn = true;
    this.#tracker = analyser.newTracker();
    this.#framesRead = 0;
    this.phase = 'camera';
    this.frameSize = { widthPx: video.videoWidth, heightPx: video.videoHeight };
    void camera.ended.then(() => {
      if (this.#camera === camera) {
        this.#camera = null;
        this.cameraOn = false;
        this.#loopToken++;
        this.error = { code: 'camera-lost', detail: '' };
        this.phase = 'error';
      }
    });
    void this.#readFrames(analyser, video, ++this.#loopToken);
  }

  /**
   * The camera loop: reads the latest frame, updates the tracked faces and the frame rate, and
   * goes on until the camera stops (the token changes). One frame in flight at a time: frames the
   * camera makes while the worker reads one are dropped, never queued, so the boxes show the
   * latest frame and the worker never falls behind.
   */
  async #readFrames(analyser: FaceAnalyser, video: HTMLVideoElement, token: number): Promise<void> {
    const frameTimes: number[] = [];
    let known: AnalysedFace[] | null = null;
    let detectedAtMs = -Infinity;
    while (token === this.#loopToken) {
      const started = performance.now();
      try {
        const detectNow = known === null || started - detectedAtMs >= DETECT_EVERY_MS;
        const analysis = await analyser.analyseImage(video, { mode: 'video', knownFaces: detectNow ? undefined : (known ?? undefined) });
        if (detectNow) detectedAtMs = started;
        known = analysis.faces;
        if (token !== this.#loopToken) break;
        this.frameSize = { widthPx: analysis.widthPx, heightPx: analysis.heightPx };
        this.live = this.#tracker?.update(performance.now(), analysis.faces.map((f) => ({ box: f.box, distribution: f.distribution }))) ?? [];
      } catch (error) {
        known = null;
        if (token !== this.#loopToken) break;
        // No face in this frame (or a black one): keep looking; the tracker forgets stale faces.
        this.live = this.#tracker?.update(performance.now(), []) ?? [];
        if (!isAbort(error) && (error as { code?: string }).code === 'model-load-failed') {
          this.#fail(error);
          break;
        }
      }
      this.#frameRead();
      const now = performance.now();
      frameTimes.push(now);
      while (frameTimes.length > 0 && now - frameTimes[0] > 1000) frameTimes.shift();
      this.fps = frameTimes.length;
      // Let the page breathe between frames; the next frame is read as soon as possible.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 33 - (now - started))));
    }
    this.#frameRead();
  }

  /** Answers whoever waits for the camera's first frame to be read (see {@link sample}). */
  #frameRead(): void {
    this.#framesRead += 1;
    const waiting = this.#waitingForFrame;
    this.#waitingForFrame = null;
    waiting?.();
  }

  /**
   * Resolves once the loop has read its first frame (or stopped), or after `maxMs`:
   * a check-in that ends while the face nets are still loading waits a little for a first look.
   */
  #firstFrame(maxMs: number): Promise<void> {
    if (this.#framesRead > 0 || !this.cameraOn) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      this.#waitingForFrame = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Looks through the camera into `video` until `until` settles (e.g. the voice's reading), then
   * turns the camera off and resolves to the last second of the chosen (largest) face, averaged,
   * or to why there is none; it never rejects. Aborting `signal` stops looking: `cancelled`.
   */
  async sample(video: HTMLVideoElement, options: { until: Promise<unknown>; signal?: AbortSignal }): Promise<FaceOutcome> {
    const { until, signal } = options;
    const aborted = new Promise<void>((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    await this.startCamera(video);
    await Promise.race([until.catch(() => undefined), aborted]);
    // The face nets may still have been loading when the caller finished: give them a first look.
    await Promise.race([this.#firstFrame(FIRST_LOOK_MAX_MS), aborted]);
    const reading = signal?.aborted || !this.cameraOn ? null : this.useThisMoment();
    const error = this.error;
    this.stopCamera();
    if (signal?.aborted) return { ok: false, code: 'cancelled', detail: '' };
    if (reading) return { ok: true, reading };
    return { ok: false, code: error?.code ?? 'no-face', detail: error?.detail ?? '' };
  }

  /** Loads the face nets in their worker ahead of the first look (the Feel screen opened); a failure is said when the camera starts. */
  prepare(): void {
    this.#deps.loadAnalyser().catch((error: unknown) => console.warn('Norae: the face nets are not loaded yet; they are tried again when the camera starts', error));
  }

  /** Turns the camera (and its light) off. */
  stopCamera(): void {
    this.#loopToken++;
    this.#camera?.stop();
    this.#camera = null;
    this.cameraOn = false;
    this.live = [];
    this.fps = 0;
    if (this.phase === 'camera' || this.phase === 'loading') this.phase = 'idle';
  }

  /** "Use this moment": the last second of the chosen (or largest) face, averaged. */
  useThisMoment(trackId?: number): FaceReading | null {
    const moment = this.#tracker?.moment(performance.now(), trackId);
    if (!moment) {
      this.error = { code: 'no-face', detail: '' };
      return null;
    }
    this.error = null;
    this.reading = { ...moment, source: 'camera', faceCount: this.live.length };
    return this.reading;
  }

  /** Reads every face in a photo; the largest is chosen until the user picks another. */
  async openPhoto(file: File): Promise<void> {
    this.stopCamera();
    this.error = null;
    this.phase = 'loading';
    this.photo?.bitmap.close();
    this.photo = null;
    this.reading = null;
    try {
      const analyser = await this.#deps.loadAnalyser();
      const start = performance.now();
      const bitmap = await this.#deps.loadImageFile(file);
      try {
        const analysis = await analyser.analyseImage(bitmap, { mode: 'photo' });
        this.photo = { bitmap, faces: analysis.faces, imageIsFace: analysis.imageIsFace, chosen: 0, elapsedMs: performance.now() - start };
        this.phase = 'photo';
        this.choose(0);
      } catch (error) {
        bitmap.close();
        throw error;
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Picks whose emotion counts in a photo with several people. */
  choose(index: number): void {
    const photo = this.photo;
    const face = photo?.faces[index];
    if (!photo || !face) return;
    this.photo = { ...photo, chosen: index };
    this.reading = { ...face, source: 'photo', faceCount: photo.faces.length };
  }

  #fail(error: unknown): void {
    const code =
      error instanceof CameraError
        ? error.code
        : ((error as { code?: FaceErrorCode } | null)?.code ?? 'analysis-failed');
    this.error = { code, detail: (error as Error)?.message ?? String(error) };
    this.phase = 'error';
  }
}

export type { BoxPx };
