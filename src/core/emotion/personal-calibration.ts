/**
 * Personal calibration: a small per-listener model on top of a shipped net (voice or face),
 * fitted on this device from the listener's own answers — each time they said where they really
 * were (a correction, "how do you feel now?") close in time to a sensor reading.
 *
 * The model is deliberately small, because a listener gives a handful of answers, not thousands:
 * - **valence and arousal**: per axis an affine map `y = scale·x + offset`, with a ridge prior that
 *   pulls it toward the identity (scale 1, offset 0): with few answers it moves the reading only
 *   part of the way toward what they said;
 * - **emotions**: a bias per class added to the reading's log-probabilities (a prior shift:
 *   "this voice reads sadder than the model thinks"), with a Gaussian prior at 0 (MAP fit).
 * Each part takes effect only when it beats the uncalibrated reading in its own leave-one-out
 * check over the answers (each answer predicted by a calibration fitted on the others), so a
 * calibration that does not help this listener does nothing.
 *
 * The population is the prior: with no answers (or answers that do not help) the reading is the
 * shipped net's, unchanged. Pure maths; the labels are the net's own class list.
 */

/** What a sensor read: a probability per class (aligned with the calibration's labels) and the point. */
export interface PersonalReading {
  probabilities: readonly number[];
  valence: number;
  arousal: number;
}

/** One labelled example of this listener: what the sensor read, and what they said. */
export interface PersonalExample {
  reading: PersonalReading;
  /** Where the listener said they were (plane units, −1…1). */
  valence: number;
  arousal: number;
  /**
   * Their emotion as a distribution over the calibration's labels (soft: a tap between sad and
   * neutral is a little of both; see {@link labelTargetFromPoint}); null: affect only.
   */
  labelTarget: readonly number[] | null;
}

/**
 * `global`: one affine map per axis and one bias per class for every reading of this listener.
 * `local`: a correction learned only where this listener's readings have been — each answer
 * corrects readings *like the one it answered* (a kernel on the reading: its point and its class
 * probabilities), shrunk toward no change by `localPrior`; so answers given when a voice read
 * "neutral" tune later neutral readings of it, not its happy ones (it learns how the sense reads
 * this person, not which mood they are usually in).
 */
export type PersonalModel = 'global' | 'local';

/** Prior strengths (pseudo-answers) and the smallest evidence that may switch a part on. */
export interface PersonalCalibrationOptions {
  model: PersonalModel;
  /** `local`: kernel width over the reading (plane units and probability differences together). */
  localWidth: number;
  /** `local`: weight of "no change", in answers at the same reading. */
  localPrior: number;
  /** Ridge weight pulling each axis's scale toward 1, in pseudo-answers. */
  scalePrior: number;
  /** Ridge weight pulling each axis's offset toward 0, in pseudo-answers. */
  offsetPrior: number;
  /** Prior precision of each class bias (1 / variance, log-odds units). */
  biasPrecision: number;
  /** Answers needed before the leave-one-out check may switch a part on. */
  minExamples: number;
  /** Share by which the leave-one-out loss must fall for a part to switch on (noise is not help). */
  minImprovement: number;
}

/**
 * What the app uses: `local`, width 0.2, prior 0.5 — chosen on the voice model's speaker-grouped
 * cross-validation (`src/training/speech/personal-cv.ts`, rule and figures in the voice model
 * card); the global settings stay for comparison.
 */
export const DEFAULT_PERSONAL_OPTIONS: PersonalCalibrationOptions = {
  model: 'local',
  localWidth: 0.2,
  localPrior: 0.5,
  scalePrior: 4,
  offsetPrior: 1,
  biasPrecision: 1,
  minExamples: 2,
  minImprovement: 0.05,
};

/** An affine map of one axis. */
export interface AxisMap {
  scale: number;
  offset: number;
}

/** A fitted calibration: plain JSON, kept with the listener's history. */
export interface PersonalCalibration {
  format: 'norae-personal-calibration';
  version: 1;
  labels: string[];
  /** Answers it was fitted on. */
  exampleCount: number;
  /** Answers that named an emotion (the class part learns from these). */
  labelledCount: number;
  valence: AxisMap;
  arousal: AxisMap;
  /** Added to the log-probability of each label. */
  classBias: number[];
  model: PersonalModel;
  /** `local`: the answers themselves (reading → what was said), the kernel's width and prior. */
  local: { width: number; prior: number; answers: LocalAnswer[] } | null;
  /** Which parts passed their leave-one-out check (and so change readings). */
  affectActive: boolean;
  classActive: boolean;
  /** Mean leave-one-out losses that decided it (squared plane distance; cross-entropy in nats). */
  check: { affectCalibrated: number; affectUncalibrated: number; classCalibrated: number; classUncalibrated: number } | null;
}

/** One answer as the local model keeps it. */
export interface LocalAnswer {
  probabilities: number[];
  valence: number;
  arousal: number;
  /** What was said − what was read, per axis. */
  dValence: number;
  dArousal: number;
  labelTarget: number[] | null;
}

const IDENTITY: AxisMap = { scale: 1, offset: 0 };

/** The calibration that changes nothing (no answers yet, or after a reset). */
export function neutralCalibration(labels: readonly string[]): PersonalCalibration {
  return {
    format: 'norae-personal-calibration',
    version: 1,
    labels: [...labels],
    exampleCount: 0,
    labelledCount: 0,
    valence: { ...IDENTITY },
    arousal: { ...IDENTITY },
    classBias: labels.map(() => 0),
    model: 'global',
    local: null,
    affectActive: false,
    classActive: false,
    check: null,
  };
}

/** True when the calibration changes readings at all. */
export function isCalibrationActive(calibration: PersonalCalibration | null | undefined): boolean {
  return !!calibration && (calibration.affectActive || calibration.classActive);
}

/**
 * Ridge fit of `y ≈ scale·x + offset` with priors scale → 1 (weight `scalePrior`) and offset → 0
 * (weight `offsetPrior`): the 2×2 normal equations solved in closed form.
 */
export function fitAxis(xs: readonly number[], ys: readonly number[], scalePrior: number, offsetPrior: number): AxisMap {
  let sxx = scalePrior;
  let sx = 0;
  let n = offsetPrior;
  let sxy = scalePrior; // prior term λ_s · 1
  let sy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxx += xs[i] * xs[i];
    sx += xs[i];
    n += 1;
    sxy += xs[i] * ys[i];
    sy += ys[i];
  }
  const det = sxx * n - sx * sx;
  if (!(Math.abs(det) > 1e-12)) return { ...IDENTITY };
  const scale = (sxy * n - sx * sy) / det;
  const offset = (sxx * sy - sx * sxy) / det;
  // A listener can stretch or shrink an axis, never flip it: a negative scale would read
  // excitement as calm from a few noisy answers.
  return scale > 0 ? { scale, offset } : { scale: 0, offset: sy / Math.max(n, 1e-9) };
}

function softmaxOfLog(probabilities: readonly number[], bias: readonly number[]): number[] {
  const logits = probabilities.map((p, i) => Math.log(Math.max(p, 1e-6)) + bias[i]);
  const max = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - max));
  const total = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / total);
}

/**
 * MAP class biases: minimises Σ cross-entropy(target, softmax(log p + b)) + precision/2 · |b|²
 * by Newton's method on the diagonal (the problem is convex; 40 damped steps converge for the
 * handful of answers a listener gives).
 */
export function fitClassBias(readings: readonly (readonly number[])[], targets: readonly (readonly number[])[], precision: number): number[] {
  const k = readings[0]?.length ?? 0;
  const bias = new Array<number>(k).fill(0);
  if (readings.length === 0) return bias;
  for (let step = 0; step < 40; step++) {
    const gradient = bias.map((b) => precision * b);
    const curvature = new Array<number>(k).fill(precision);
    for (let i = 0; i < readings.length; i++) {
      const q = softmaxOfLog(readings[i], bias);
      const mass = targets[i].reduce((s, t) => s + t, 0);
      for (let c = 0; c < k; c++) {
        gradient[c] += mass * q[c] - targets[i][c];
        curvature[c] += mass * q[c] * (1 - q[c]);
      }
    }
    let moved = 0;
    for (let c = 0; c < k; c++) {
      const delta = gradient[c] / curvature[c];
      bias[c] -= Math.max(-1, Math.min(1, delta));
      moved = Math.max(moved, Math.abs(delta));
    }
    if (moved < 1e-6) break;
  }
  // Only differences between biases matter; centre them so the stored numbers read plainly.
  const mean = bias.reduce((s, b) => s + b, 0) / Math.max(1, k);
  return bias.map((b) => b - mean);
}

const clampUnit = (x: number): number => Math.max(-1, Math.min(1, x));

/** The reading after calibration (parts that did not pass their check leave it as it was). */
export function applyPersonalCalibration(calibration: PersonalCalibration | null | undefined, reading: PersonalReading): PersonalReading {
  if (!calibration || !isCalibrationActive(calibration)) return reading;
  if (reading.probabilities.length !== calibration.labels.length) {
    throw new RangeError(`personal calibration: a reading of ${reading.probabilities.length} classes, the calibration has ${calibration.labels.length}`);
  }
  if (calibration.model === 'local' && calibration.local) {
    const out = applyLocal(calibration.local, reading);
    return {
      probabilities: calibration.classActive ? out.probabilities : [...reading.probabilities],
      valence: calibration.affectActive ? out.valence : reading.valence,
      arousal: calibration.affectActive ? out.arousal : reading.arousal,
    };
  }
  const probabilities = calibration.classActive ? softmaxOfLog(reading.probabilities, calibration.classBias) : [...reading.probabilities];
  const map = (axis: AxisMap, x: number) => (calibration.affectActive ? clampUnit(axis.scale * x + axis.offset) : x);
  return { probabilities, valence: map(calibration.valence, reading.valence), arousal: map(calibration.arousal, reading.arousal) };
}

/** Nadaraya–Watson blend: the answers near this reading, against `prior` answers of "no change". */
function applyLocal(local: { width: number; prior: number; answers: readonly LocalAnswer[] }, reading: PersonalReading): PersonalReading {
  let wSum = 0;
  let dv = 0;
  let da = 0;
  let lSum = 0;
  const labelMass = reading.probabilities.map(() => 0);
  for (const a of local.answers) {
    let d2 = (a.valence - reading.valence) ** 2 + (a.arousal - reading.arousal) ** 2;
    for (let c = 0; c < a.probabilities.length; c++) d2 += (a.probabilities[c] - reading.probabilities[c]) ** 2;
    const w = Math.exp(-d2 / (2 * local.width ** 2));
    wSum += w;
    dv += w * a.dValence;
    da += w * a.dArousal;
    if (a.labelTarget) {
      lSum += w;
      a.labelTarget.forEach((t, c) => (labelMass[c] += w * t));
    }
  }
  const probabilities = reading.probabilities.map((p, c) => (local.prior * p + labelMass[c]) / (local.prior + lSum));
  return {
    probabilities,
    valence: clampUnit(reading.valence + dv / (local.prior + wSum)),
    arousal: clampUnit(reading.arousal + da / (local.prior + wSum)),
  };
}

function localOf(examples: readonly PersonalExample[], o: PersonalCalibrationOptions) {
  return {
    width: o.localWidth,
    prior: o.localPrior,
    answers: examples.map((e) => ({
      probabilities: [...e.reading.probabilities],
      valence: e.reading.valence,
      arousal: e.reading.arousal,
      dValence: e.valence - e.reading.valence,
      dArousal: e.arousal - e.reading.arousal,
      labelTarget: e.labelTarget ? [...e.labelTarget] : null,
    })),
  };
}

function crossEntropy(target: readonly number[], q: readonly number[]): number {
  let loss = 0;
  for (let c = 0; c < target.length; c++) if (target[c] > 0) loss -= target[c] * Math.log(Math.max(q[c], 1e-9));
  return loss;
}

function fitParts(examples: readonly PersonalExample[], o: PersonalCalibrationOptions) {
  const valence = fitAxis(
    examples.map((e) => e.reading.valence),
    examples.map((e) => e.valence),
    o.scalePrior,
    o.offsetPrior,
  );
  const arousal = fitAxis(
    examples.map((e) => e.reading.arousal),
    examples.map((e) => e.arousal),
    o.scalePrior,
    o.offsetPrior,
  );
  const labelled = examples.filter((e) => e.labelTarget);
  const classBias = fitClassBias(
    labelled.map((e) => e.reading.probabilities),
    labelled.map((e) => e.labelTarget as readonly number[]),
    o.biasPrecision,
  );
  return { valence, arousal, classBias };
}

/**
 * Fits the listener's calibration on their answers and runs its leave-one-out check: each part
 * (affect, classes) is switched on only when, predicting every answer from a calibration fitted on
 * the *other* answers, it is closer to what the listener said than the uncalibrated reading.
 */
export function fitPersonalCalibration(
  labels: readonly string[],
  examples: readonly PersonalExample[],
  options: Partial<PersonalCalibrationOptions> = {},
): PersonalCalibration {
  const o = { ...DEFAULT_PERSONAL_OPTIONS, ...options };
  for (const e of examples) {
    if (e.reading.probabilities.length !== labels.length || (e.labelTarget && e.labelTarget.length !== labels.length)) {
      throw new RangeError(`personal calibration: an example of ${e.reading.probabilities.length} classes, expected ${labels.length}`);
    }
  }
  const out = neutralCalibration(labels);
  out.exampleCount = examples.length;
  const labelled = examples.filter((e) => e.labelTarget);
  out.labelledCount = labelled.length;
  if (examples.length === 0) return out;
  const parts = fitParts(examples, o);
  out.valence = parts.valence;
  out.arousal = parts.arousal;
  out.classBias = parts.classBias;
  out.model = o.model;
  if (o.model === 'local') out.local = localOf(examples, o);
  if (examples.length < o.minExamples) return out;

  let affectCal = 0;
  let affectRaw = 0;
  let classCal = 0;
  let classRaw = 0;
  for (let i = 0; i < examples.length; i++) {
    const e = examples[i];
    const others = examples.filter((_, j) => j !== i);
    let v: number;
    let a: number;
    let q: readonly number[];
    if (o.model === 'local') {
      const read = applyLocal(localOf(others, o), e.reading);
      v = read.valence;
      a = read.arousal;
      q = read.probabilities;
    } else {
      const rest = fitParts(others, o);
      v = clampUnit(rest.valence.scale * e.reading.valence + rest.valence.offset);
      a = clampUnit(rest.arousal.scale * e.reading.arousal + rest.arousal.offset);
      q = softmaxOfLog(e.reading.probabilities, rest.classBias);
    }
    affectCal += (v - e.valence) ** 2 + (a - e.arousal) ** 2;
    affectRaw += (e.reading.valence - e.valence) ** 2 + (e.reading.arousal - e.arousal) ** 2;
    if (e.labelTarget) {
      classCal += crossEntropy(e.labelTarget, q);
      classRaw += crossEntropy(e.labelTarget, e.reading.probabilities);
    }
  }
  const n = examples.length;
  const m = Math.max(1, labelled.length);
  out.check = { affectCalibrated: affectCal / n, affectUncalibrated: affectRaw / n, classCalibrated: classCal / m, classUncalibrated: classRaw / m };
  out.affectActive = affectCal < (1 - o.minImprovement) * affectRaw;
  out.classActive = labelled.length >= o.minExamples && classCal < (1 - o.minImprovement) * classRaw;
  return out;
}

/**
 * A listener's tap as an emotion: a soft distribution over `labels` by distance to each label's
 * point (Gaussian, width `widthUnits` plane units), so a tap between two emotions is some of both
 * and one near the centre is mostly neutral. Labels without a point (e.g. contempt for a net
 * that cannot read it) get 0.
 */
export function labelTargetFromPoint(
  point: { valence: number; arousal: number },
  labels: readonly string[],
  coordinates: Readonly<Record<string, { valence: number; arousal: number }>>,
  widthUnits = 0.3,
): number[] {
  const w = labels.map((l) => {
    const c = coordinates[l];
    if (!c) return 0;
    return Math.exp(-((c.valence - point.valence) ** 2 + (c.arousal - point.arousal) ** 2) / (2 * widthUnits ** 2));
  });
  const total = w.reduce((s, x) => s + x, 0);
  return total > 0 ? w.map((x) => x / total) : w;
}

/** Reads a stored calibration; null when it is malformed or for another label set (start afresh). */
export function parsePersonalCalibration(json: unknown, labels: readonly string[]): PersonalCalibration | null {
  if (typeof json !== 'object' || json === null) return null;
  const c = json as Partial<PersonalCalibration>;
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const axis = (a: unknown) => typeof a === 'object' && a !== null && finite((a as AxisMap).scale) && finite((a as AxisMap).offset);
  if (c.format !== 'norae-personal-calibration' || c.version !== 1) return null;
  if (!Array.isArray(c.labels) || c.labels.join() !== labels.join()) return null;
  if (!Array.isArray(c.classBias) || c.classBias.length !== labels.length || !c.classBias.every(finite)) return null;
  if (!axis(c.valence) || !axis(c.arousal) || typeof c.affectActive !== 'boolean' || typeof c.classActive !== 'boolean') return null;
  if (c.model !== 'global' && c.model !== 'local') return null;
  if (c.model === 'local' && !(c.local && Array.isArray(c.local.answers) && finite(c.local.width) && finite(c.local.prior))) return null;
  return c as PersonalCalibration;
}
