/**
 * Personal calibration measured the way the app would meet it: each clip (or face) is read with a
 * calibration fitted on K *other* labelled items of the same person, drawn at random (seeded;
 * never the item itself), through the app's own `fitPersonalCalibration` — leave-one-out gate
 * included, so a calibration that would not switch on in the app does not count here either.
 * Shared by `eval:speech --personal K`, `eval:face --personal K` and the speech model's
 * cross-validation (`personal-cv.ts`).
 */
import { EMOTION_COORDINATES } from '../core/emotion/emotions.ts';
import { applyPersonalCalibration, fitPersonalCalibration, isCalibrationActive, labelTargetFromPoint, type PersonalCalibrationOptions, type PersonalExample } from '../core/emotion/personal-calibration.ts';
import { mulberry32 } from '../core/random.ts';
import { classificationReport } from './metrics.ts';

/** One read item: whose it is, its true label, and the reading (probabilities over `labels`). */
export interface PersonalEvalItem {
  group: string;
  /** Items of one cluster (e.g. frames of one CK+ sequence) never calibrate each other: near-duplicates would leak. */
  cluster?: string;
  label: string;
  probabilities: readonly number[];
  valence: number;
  arousal: number;
}

/**
 * How the simulated listener answers: `label` — they name the emotion (one-hot) and the answer's
 * point is the label's target; `tap` — as in the app, a tap at the label's point on the plane
 * (`EMOTION_COORDINATES`), whose emotion is the app's soft reading of that tap.
 */
export type AnswerKind = 'label' | 'tap';

export interface PersonalEvalOptions {
  /** The net's classes, in `probabilities` order. */
  labels: readonly string[];
  /** Where each label sits (plane units): the answer's point for `label` answers, and what arousal/valence are scored against. */
  affectTargets: Readonly<Record<string, readonly [number, number]>>;
  ks: readonly number[];
  draws: number;
  seed: number;
  answers: AnswerKind;
  /** The calibration's settings (default: the app's, DEFAULT_PERSONAL_OPTIONS). */
  calibration?: Partial<PersonalCalibrationOptions>;
}

/** Figures at one K (K = 0: the readings as they are). */
export interface PersonalEvalPoint {
  k: number;
  /** Items scored (those whose person has at least K others). */
  count: number;
  uar: number;
  /** Sign agreement with the label's target (high vs low; pleasant vs not; a label whose target is within 0.1 of an axis's centre is not scored on it), over the net's own classes. */
  arousal: number;
  valence: number;
  /** Share of readings whose calibration was switched on by its leave-one-out check. */
  activeShare: number;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function example(item: PersonalEvalItem, o: PersonalEvalOptions): PersonalExample | null {
  const target = o.affectTargets[item.label];
  if (!target) return null;
  const known = o.labels.includes(item.label);
  if (o.answers === 'tap') {
    const point = EMOTION_COORDINATES[item.label as keyof typeof EMOTION_COORDINATES] ?? { valence: target[0], arousal: target[1] };
    return { reading: item, valence: point.valence, arousal: point.arousal, labelTarget: labelTargetFromPoint(point, o.labels, EMOTION_COORDINATES) };
  }
  return { reading: item, valence: target[0], arousal: target[1], labelTarget: known ? o.labels.map((l) => (l === item.label ? 1 : 0)) : null };
}

function score(k: number, results: { item: PersonalEvalItem; predicted: number; valence: number; arousal: number; active: boolean }[], o: PersonalEvalOptions): PersonalEvalPoint {
  const report = classificationReport(
    o.labels,
    results.map((r) => ({ label: r.item.label, predicted: o.labels[r.predicted] })),
  );
  let aRight = 0;
  let aCount = 0;
  let vRight = 0;
  let vCount = 0;
  for (const r of results) {
    // Scored as the model card scores: items of the net's own classes only (calm/boredom teach, not count).
    const t = o.affectTargets[r.item.label];
    if (!t || !o.labels.includes(r.item.label)) continue;
    if (Math.abs(t[1]) >= 0.1) {
      aCount++;
      if (r.arousal > 0 === t[1] > 0) aRight++;
    }
    if (Math.abs(t[0]) >= 0.1) {
      vCount++;
      if (r.valence > 0 === t[0] > 0) vRight++;
    }
  }
  return {
    k,
    count: results.length,
    uar: report.uar,
    arousal: aCount > 0 ? aRight / aCount : 0,
    valence: vCount > 0 ? vRight / vCount : 0,
    activeShare: results.length > 0 ? results.filter((r) => r.active).length / results.length : 0,
  };
}

/**
 * The personal-calibration curve: for each K, the mean over `draws` seeded draws of UAR, arousal
 * and valence when every item is read with a calibration fitted on K random other items of its
 * person (items whose person has fewer than K others are left out at that K, and at K = 0 too
 * only when no K can use them).
 */
export function personalCurve(items: readonly PersonalEvalItem[], options: PersonalEvalOptions): PersonalEvalPoint[] {
  const byGroup = new Map<string, number[]>();
  items.forEach((item, i) => byGroup.set(item.group, [...(byGroup.get(item.group) ?? []), i]));
  const out: PersonalEvalPoint[] = [];
  const minK = Math.min(...options.ks.filter((k) => k > 0), Infinity);
  const eligible = (k: number) => items.map((_, i) => i).filter((i) => (byGroup.get(items[i].group)?.length ?? 0) - 1 >= k);
  out.push(
    score(
      0,
      eligible(Number.isFinite(minK) ? minK : 0).map((i) => ({ item: items[i], predicted: argmax(items[i].probabilities), valence: items[i].valence, arousal: items[i].arousal, active: false })),
      options,
    ),
  );
  for (const k of options.ks.filter((x) => x > 0)) {
    const perDraw: PersonalEvalPoint[] = [];
    for (let d = 0; d < options.draws; d++) {
      const random = mulberry32(options.seed + 1000 * k + d);
      const results = eligible(k).map((i) => {
        const cluster = items[i].cluster;
        const others = (byGroup.get(items[i].group) as number[]).filter((j) => j !== i && (cluster === undefined || items[j].cluster !== cluster));
        // Partial Fisher–Yates: K distinct others (fewer when the cluster rule leaves fewer).
        for (let s = 0; s < Math.min(k, others.length); s++) {
          const r = s + Math.floor(random() * (others.length - s));
          [others[s], others[r]] = [others[r], others[s]];
        }
        const examples = others
          .slice(0, k)
          .map((j) => example(items[j], options))
          .filter((e): e is PersonalExample => e !== null);
        const calibration = fitPersonalCalibration(options.labels, examples, options.calibration);
        const read = applyPersonalCalibration(calibration, items[i]);
        return { item: items[i], predicted: argmax(read.probabilities), valence: read.valence, arousal: read.arousal, active: isCalibrationActive(calibration) };
      });
      perDraw.push(score(k, results, options));
    }
    const mean = (f: (p: PersonalEvalPoint) => number) => perDraw.reduce((s, p) => s + f(p), 0) / perDraw.length;
    out.push({ k, count: perDraw[0]?.count ?? 0, uar: mean((p) => p.uar), arousal: mean((p) => p.arousal), valence: mean((p) => p.valence), activeShare: mean((p) => p.activeShare) });
  }
  return out;
}
