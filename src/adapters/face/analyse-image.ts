import * as tf from '@tensorflow/tfjs';
import { eyeRollRadians, levellingTransform } from '../../core/face/alignment.ts';
import { applyCalibration, type FaceCalibration } from '../../core/face/calibration.ts';
import {
  centredSquare,
  cropAndResizeBox,
  expressionCropBox,
  mergeDetections,
  scaleBox,
  sortLargestFirst,
  type BoxPx,
  type DetectionPx,
  type FaceDetectorName,
} from '../../core/face/face-boxes.ts';
import { FaceAnalysisError } from '../../core/face/face-errors.ts';
import { faceEmotionFromProbabilities, FACE_CLASS_COUNT, type FaceEmotion } from '../../core/face/face-expressions.ts';
import {
  decideFraming,
  detectionsFromPadded,
  downscaleFactor,
  isCropLike,
  PADDED_RETRY_MAX_EDGE_PX,
  scaledSize,
  ssdTiles,
  ssdWorthTrying,
  type ImageIsFaceReason,
} from '../../core/face/framing.ts';
import { isBlankImage, luminanceStats } from '../../core/face/image-quality.ts';
import { averageProbabilities } from '../../core/face/probabilities.ts';
import { combineExpressionProbabilities } from '../../core/face/expression-contract.ts';
import { greyFaceCrops } from './grey-crops.ts';
import { loadedFaceModels, type FaceModels } from './face-models.ts';
import { toWorkingImage, type FaceImageSource, type WorkingImage } from './image-tensor.ts';

/** The expression net's input side, px (face-api resizes every face to this square). */
export const EXPRESSION_INPUT_PX = 112;

/** Per-mode defaults: a photo gets the thorough cascade, a camera frame the fast path. */
const MODE_DEFAULTS = {
  // 1600 px keeps a face 1/20 of a group photo's width at 80 px — plenty for a 112 px net.
  photo: { maxEdgePx: 1600, tinyInputPx: 416 },
  // 640 px is what the camera delivers; tiny at 320 px is its fastest accurate setting.
  video: { maxEdgePx: 640, tinyInputPx: 320 },
} as const;

/** face-api's own defaults for a confident detection. */
const TINY_MIN_SCORE = 0.5;
const SSD_MIN_SCORE = 0.5;
/** The padded retry looks for one face filling a crop-like image, so it accepts weaker evidence. */
const PADDED_TINY_MIN_SCORE = 0.3;
/** Measured on a 93-image FER2013 subset: input 416 finds the filling face in 71, input 224 in 57. */
const PADDED_TINY_INPUT_PX = 416;

export interface AnalyseImageOptions {
  /** Default: the models from the last `loadFaceModels`. */
  models?: FaceModels;
  /**
   * 'photo' (default): tiny detector; if it finds nothing, a padded retry for crop-shaped images,
   * then SSD MobileNet on the whole image and on 2×2 upscaled tiles. 'video': tiny detector only,
   * on a ≤ 640 px frame — the fast path for ≥ 10 frames a second.
   */
  mode?: 'photo' | 'video';
  /** Average each face with its mirror image (default true: +0.023 UAR on FER2013). */
  flip?: boolean;
  /** Level the eyes using the 68-point landmarks before classifying (default false: measured worse). */
  align?: boolean;
  /** The caller knows the image is one face crop: skip detection, classify it whole. */
  assumeFace?: boolean;
  /** Photo mode: run SSD even when tiny found faces, and merge (finds faces tiny misses in groups; costs one SSD pass). */
  exhaustive?: boolean;
  /**
   * 'auto' (default): a face filling a crop-shaped image is classified from the whole image.
   * 'detector-crop': always classify the detector's crop when there is one (to measure that rule).
   */
  framing?: 'auto' | 'detector-crop';
  /** Keep at most this many faces, largest first (default 20). */
  maxFaces?: number;
  /** Longest side the image is reduced to before analysis (default: photo 1600, video 640). */
  maxEdgePx?: number;
  /**
   * Faces found in a recent frame (their boxes in the source's pixels): detection is skipped and
   * these regions are classified again. The camera loop detects a few times a second and reads
   * expressions on every frame in between (a face moves little in a quarter of a second).
   */
  knownFaces?: readonly Pick<AnalysedFace, 'box' | 'detector' | 'detectionScore'>[];
  /**
   * Which expression nets read the faces: 'ensemble' (default: ours and face-api's, combined as
   * our metadata.json says), 'face-api' or 'own' alone (to measure each).
   */
  nets?: 'ensemble' | 'face-api' | 'own';
  /** Override the models' calibration (e.g. the identity, to evaluate the raw net). */
  calibration?: FaceCalibration;
  signal?: AbortSignal;
}

/** One face found in the image, with its emotion reading. */
export interface AnalysedFace extends FaceEmotion {
  /** Where the face is, in the source's pixels (x, y = top-left). The detector's box; the whole image for 'whole-image'. */
  box: BoxPx;
  /** Who found it: 'tiny', 'ssd', or 'whole-image' when no detector did and the image was taken as the face. */
  detector: FaceDetectorName;
  /** The detector's score in [0, 1]; 0 for 'whole-image'. */
  detectionScore: number;
}

/** Which detection passes ran, in order. */
export type DetectionPass = 'tiny' | 'tiny-padded' | 'ssd' | 'ssd-tiles';

export interface FaceAnalysis {
  /** Every face, largest first (the largest is the one to preselect). Never empty: no face throws. */
  faces: AnalysedFace[];
  /** True when the whole image was classified as one face (a tight crop) rather than a detector crop. */
  imageIsFace: boolean;
  imageIsFaceReason: ImageIsFaceReason | null;
  /** The source's size in pixels (the boxes' frame). */
  widthPx: number;
  heightPx: number;
  passes: DetectionPass[];
  timingsMs: { detect: number; classify: number; total: number };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

function toDetections(found: readonly { score: number; box: BoxPx }[], detector: FaceDetectorName, offsetX = 0, offsetY = 0): DetectionPx[] {
  return found.map((d) => ({ score: d.score, detector, box: { x: d.box.x + offsetX, y: d.box.y + offsetY, width: d.box.width, height: d.box.height } }));
}

async function tiny(models: FaceModels, image: tf.Tensor3D, inputSize: number, scoreThreshold: number): Promise<DetectionPx[]> {
  const found = await models.faceApi.nets.tinyFaceDetector.locateFaces(image, { inputSize, scoreThreshold });
  return toDetections(found, 'tiny');
}

async function ssd(models: FaceModels, image: tf.Tensor3D, offsetX = 0, offsetY = 0): Promise<DetectionPx[]> {
  const found = await models.faceApi.nets.ssdMobilenetv1.locateFaces(image, { minConfidence: SSD_MIN_SCORE });
  return toDetections(found, 'ssd', offsetX, offsetY);
}

/** Tiny again on a mirror-padded, shrunk copy: finds a face that fills a crop-like image. */
async function paddedTiny(models: FaceModels, work: WorkingImage): Promise<DetectionPx[]> {
  const factor = downscaleFactor(work.widthPx, work.heightPx, PADDED_RETRY_MAX_EDGE_PX);
  const size = scaledSize(work.widthPx, work.heightPx, factor);
  const padded = tf.tidy(() => {
    const small = factor < 1 ? tf.image.resizeBilinear(work.image, [size.heightPx, size.widthPx], false, true) : work.image;
    return tf.mirrorPad(small, [[size.heightPx, size.heightPx], [size.widthPx, size.widthPx], [0, 0]], 'symmetric');
  });
  try {
    const found = await tiny(models, padded, PADDED_TINY_INPUT_PX, PADDED_TINY_MIN_SCORE);
    return detectionsFromPadded(found, size.widthPx, size.heightPx, size.widthPx / work.widthPx, work.widthPx, work.heightPx);
  } finally {
    padded.dispose();
  }
}

async function detect(models: FaceModels, work: WorkingImage, mode: 'photo' | 'video', exhaustive: boolean, passes: DetectionPass[], signal?: AbortSignal): Promise<DetectionPx[]> {
  passes.push('tiny');
  const found = await tiny(models, work.image, MODE_DEFAULTS[mode].tinyInputPx, TINY_MIN_SCORE);
  if (mode === 'video') return found;
  if (found.length === 0 && isCropLike(work.widthPx, work.heightPx)) {
    throwIfAborted(signal);
    passes.push('tiny-padded');
    found.push(...(await paddedTiny(models, work)));
  }
  if (found.length > 0 ? !exhaustive : !ssdWorthTrying(work.widthPx, work.heightPx)) return found;
  throwIfAborted(signal);
  await models.ensure('ssdMobilenetv1', signal);
  passes.push('ssd');
  let bySsd = await ssd(models, work.image);
  const tiles = ssdTiles(work.widthPx, work.heightPx);
  if (found.length === 0 && bySsd.length === 0 && tiles.length > 0) {
    passes.push('ssd-tiles');
    const perTile: DetectionPx[][] = [];
    for (const t of tiles) {
      throwIfAborted(signal);
      const tile = tf.slice(work.image, [t.y, t.x, 0], [t.height, t.width, 3]);
      try {
        perTile.push(await ssd(models, tile, t.x, t.y));
      } finally {
        tile.dispose();
      }
    }
    bySsd = mergeDetections(...perTile);
  }
  return mergeDetections(found, bySsd);
}

/** Runs the landmark net on the crops and rotates each so its eyes are level. Disposes `crops`. */
async function alignCrops(models: FaceModels, crops: tf.Tensor4D, signal?: AbortSignal): Promise<tf.Tensor4D> {
  await models.ensure('faceLandmark68Net', signal);
  const api = models.faceApi;
  const singles = tf.unstack(crops) as tf.Tensor3D[];
  try {
    const result = await api.nets.faceLandmark68Net.detectLandmarks(new api.NetInput(singles, true));
    const all = Array.isArray(result) ? result : [result];
    const centre = { x: EXPRESSION_INPUT_PX / 2, y: EXPRESSION_INPUT_PX / 2 };
    const transforms = all.map((l) => levellingTransform(eyeRollRadians(l.positions), centre));
    return tf.tidy(() => tf.image.transform(crops, tf.tensor2d(transforms), 'bilinear', 'nearest') as tf.Tensor4D);
  } finally {
    tf.dispose(singles);
    crops.dispose();
  }
}

/** Which nets run, and how much our own counts: 0 = face-api's alone, 1 = ours alone. */
function ownWeightFor(models: FaceModels, nets: AnalyseImageOptions['nets']): number {
  if (nets === 'face-api') return 0;
  if (!models.expression) {
    if (nets === 'own') throw new FaceAnalysisError('models-not-loaded', "Norae's expression net was not loaded");
    return 0;
  }
  return nets === 'own' ? 1 : models.expression.metadata.ensemble.ownWeight;
}

/** Reads a probability tensor [2n or n, 7] as n rows, each averaged with its mirror's row when `flip`. Disposes it. */
async function rowsOf(probabilities: tf.Tensor, count: number, flip: boolean): Promise<number[][]> {
  const values = await probabilities.data();
  probabilities.dispose();
  const row = (i: number) => Array.from(values.subarray(i * FACE_CLASS_COUNT, (i + 1) * FACE_CLASS_COUNT));
  return Array.from({ length: count }, (_, i) => (flip ? averageProbabilities([row(i), row(count + i)]) : row(i)));
}

/** face-api's expression net on 112 px colour crops: probabilities (face-api order) per region. */
async function faceApiRegions(models: FaceModels, work: WorkingImage, regions: readonly BoxPx[], flip: boolean, align: boolean, signal?: AbortSignal): Promise<number[][]> {
  const boxes = regions.map((r) => cropAndResizeBox(r, work.widthPx, work.heightPx, EXPRESSION_INPUT_PX));
  let crops = tf.tidy(() =>
    tf.image.cropAndResize(tf.expandDims(work.image, 0) as tf.Tensor4D, tf.tensor2d(boxes, [boxes.length, 4]), tf.zeros([boxes.length], 'int32'), [EXPRESSION_INPUT_PX, EXPRESSION_INPUT_PX], 'bilinear', 0),
  );
  if (align) crops = await alignCrops(models, crops, signal);
  const api = models.faceApi;
  const probabilities = tf.tidy(() => {
    const batch = flip ? tf.concat([crops, tf.reverse(crops, 2)]) : crops;
    const logits = api.nets.faceExpressionNet.runNet(new api.NetInput(tf.unstack(batch) as tf.Tensor3D[], true));
    return tf.softmax(logits);
  });
  crops.dispose();
  return rowsOf(probabilities, regions.length, flip);
}

/** Our expression net on grey crops of the same regions (its metadata's size): probabilities per region. */
async function ownRegions(models: FaceModels, work: WorkingImage, regions: readonly BoxPx[], flip: boolean): Promise<number[][]> {
  const own = models.expression;
  if (!own) throw new FaceAnalysisError('models-not-loaded', "Norae's expression net was not loaded");
  const probabilities = tf.tidy(() => {
    const crops = greyFaceCrops(work.image, regions, own.metadata.input.sizePx);
    return own.net.predict(flip ? tf.concat([crops, tf.reverse(crops, 2)]) : crops) as tf.Tensor;
  });
  return rowsOf(probabilities, regions.length, flip);
}

/** The expression nets' combined probabilities (face-api order, before calibration) per region. */
async function classifyRegions(models: FaceModels, work: WorkingImage, regions: readonly BoxPx[], options: AnalyseImageOptions): Promise<number[][]> {
  const flip = options.flip ?? true;
  const ownWeight = ownWeightFor(models, options.nets);
  const faceApi = ownWeight < 1 ? await faceApiRegions(models, work, regions, flip, options.align ?? false, options.signal) : null;
  const own = ownWeight > 0 ? await ownRegions(models, work, regions, flip) : null;
  if (!own) return faceApi ?? [];
  if (!faceApi) return own;
  // Both nets ran, so this is the ensemble: its per-face rule applies too.
  const trustAbove = models.expression?.metadata.ensemble.faceApiTrustAbove;
  return regions.map((_, i) => combineExpressionProbabilities(own[i], faceApi[i], ownWeight, trustAbove));
}

/**
 * Finds every face in an image and reads its emotion. Runs the same code in the browser's face
 * worker (a bitmap; WebGL/wasm/cpu) and in Node (a decoded tensor). A tight face crop is classified
 * whole (`imageIsFace`). Faces come largest first. Throws `FaceAnalysisError` with code
 * `no-face`, `blank-image`, `unusable-image`, `models-not-loaded` or `analysis-failed` — never
 * anything uncaught — or an AbortError when `signal` aborts. Every tensor it makes is freed.
 */
export async function analyseImage(source: FaceImageSource, options: AnalyseImageOptions = {}): Promise<FaceAnalysis> {
  const started = performance.now();
  const models = options.models ?? loadedFaceModels();
  if (!models || models.isDisposed) throw new FaceAnalysisError('models-not-loaded', 'call loadFaceModels() first');
  const { signal } = options;
  throwIfAborted(signal);
  const mode = options.mode ?? 'photo';
  const work = toWorkingImage(source, options.maxEdgePx ?? MODE_DEFAULTS[mode].maxEdgePx);
  try {
    const thumb = tf.tidy(() => tf.image.resizeBilinear(work.image, [32, 32]));
    const stats = luminanceStats(await thumb.data(), 3);
    thumb.dispose();
    if (isBlankImage(stats)) throw new FaceAnalysisError('blank-image', `the image is uniform (luma ${stats.meanLuma.toFixed(0)} ± ${stats.stdLuma.toFixed(1)}): a black frame or covered lens?`);
    const passes: DetectionPass[] = [];
    const detections = options.knownFaces
      ? options.knownFaces.map((f): DetectionPx => ({ box: scaleBox(f.box, work.scale), detector: f.detector, score: f.detectionScore }))
      : options.assumeFace
        ? []
        : await detect(models, work, mode, options.exhaustive ?? false, passes, signal);
    const framing = decideFraming(work.widthPx, work.heightPx, detections, { assumeFace: options.assumeFace, preferDetectorCrop: options.framing === 'detector-crop' });
    if (framing.faces.length === 0) throw new FaceAnalysisError('no-face', 'no face found in the image');
    const chosen = sortLargestFirst(framing.faces).slice(0, options.maxFaces ?? 20);
    const detected = performance.now();
    throwIfAborted(signal);
    const regions = framing.imageIsFace ? [centredSquare(work.widthPx, work.heightPx)] : chosen.map(expressionCropBox);
    const perRegion = await classifyRegions(models, work, regions, options);
    const calibration = options.calibration ?? models.calibration;
    const faces: AnalysedFace[] = chosen.map((d, i) => ({
      ...faceEmotionFromProbabilities(applyCalibration(perRegion[i], calibration)),
      box: scaleBox(d.box, 1 / work.scale),
      detector: d.detector,
      detectionScore: d.score,
    }));
    const finished = performance.now();
    return {
      faces,
      imageIsFace: framing.imageIsFace,
      imageIsFaceReason: framing.reason,
      widthPx: work.sourceWidthPx,
      heightPx: work.sourceHeightPx,
      passes,
      timingsMs: { detect: detected - started, classify: finished - detected, total: finished - started },
    };
  } catch (error) {
    if (error instanceof FaceAnalysisError || (error as { name?: unknown } | null)?.name === 'AbortError') throw error;
    throw new FaceAnalysisError('analysis-failed', `face analysis failed: ${String(error)}`, { cause: error });
  } finally {
    work.image.dispose();
  }
}
