import { combineExpressionProbabilities, type FaceEnsemble } from '../../core/face/expression-contract.ts';
import { stratifiedGroupFolds } from './folds.ts';

/** One face read by both nets (face-api order, mirror-averaged, uncalibrated); null where no face was found. */
export interface TwoNetReading {
  own: number[] | null;
  faceApi: number[] | null;
  /** The true class index (face-api order). */
  target: number;
  /** Cross-validation group (a CK+ subject; the image itself where there is none). */
  group: string;
}

/** A tuning set the choice must not make worse than face-api alone. */
export interface TuningSet {
  name: string;
  readings: readonly TwoNetReading[];
}

/** The ensemble's reading of one face (null where no face was found). */
export function ensembleReading(r: TwoNetReading, ensemble: FaceEnsemble): number[] | null {
  return r.own && r.faceApi ? combineExpressionProbabilities(r.own, r.faceApi, ensemble.ownWeight, ensemble.faceApiTrustAbove) : null;
}

/** Unweighted average recall over the classes present among the targets; a face without a reading is a miss. */
export function uarOf(readings: readonly TwoNetReading[], probabilities: readonly (readonly number[] | null)[]): number {
  const hit = new Map<number, [number, number]>();
  readings.forEach((r, i) => {
    const p = probabilities[i];
    const top = p ? p.indexOf(Math.max(...p)) : -1;
    const [h, n] = hit.get(r.target) ?? [0, 0];
    hit.set(r.target, [h + (top === r.target ? 1 : 0), n + 1]);
  });
  const recalls = [...hit.values()].map(([h, n]) => h / n);
  return recalls.reduce((a, b) => a + b, 0) / Math.max(1, recalls.length);
}

/** Every candidate's UAR on every set, and the one chosen. */
export interface EnsembleChoice {
  chosen: FaceEnsemble;
  table: { ensemble: FaceEnsemble; uar: Record<string, number>; feasible: boolean }[];
}

/**
 * Chooses the ensemble (own-net weight and face-api trust threshold) with the best mean UAR over
 * the sets among those at or above face-api alone on **every** set (face-api alone always
 * qualifies, so a choice always exists). Ties go to the earlier candidate.
 */
export function chooseEnsemble(sets: readonly TuningSet[], candidates: readonly FaceEnsemble[]): EnsembleChoice {
  const faceApiAlone: FaceEnsemble = { ownWeight: 0 };
  const uars = (e: FaceEnsemble) => Object.fromEntries(sets.map((s) => [s.name, uarOf(s.readings, s.readings.map((r) => ensembleReading(r, e)))]));
  const floor = uars(faceApiAlone);
  const table = [faceApiAlone, ...candidates].map((ensemble) => {
    const uar = uars(ensemble);
    return { ensemble, uar, feasible: sets.every((s) => uar[s.name] >= floor[s.name] - 1e-12) };
  });
  const mean = (u: Record<string, number>) => Object.values(u).reduce((a, b) => a + b, 0) / sets.length;
  const best = table.filter((t) => t.feasible).reduce((a, b) => (mean(b.uar) > mean(a.uar) + 1e-12 ? b : a));
  return { chosen: best.ensemble, table };
}

/**
 * How the choice does on faces it did not see: `heldSet`'s groups (subjects) are split into
 * `folds` stratified folds; each fold is read with the ensemble chosen on the other sets plus the
 * other folds. Returns every reading of `heldSet` as it would be read (out of fold) and each fold's choice.
 */
export function crossCheckChoice(sets: readonly TuningSet[], heldSet: string, candidates: readonly FaceEnsemble[], folds: number, seed: number): { probabilities: (number[] | null)[]; chosen: FaceEnsemble[] } {
  const held = sets.find((s) => s.name === heldSet);
  if (!held) throw new RangeError(`no tuning set named ${heldSet}`);
  const fold = stratifiedGroupFolds(held.readings.map((r) => String(r.target)), held.readings.map((r) => r.group), folds, seed);
  const probabilities: (number[] | null)[] = held.readings.map(() => null);
  const chosen: FaceEnsemble[] = [];
  for (let f = 0; f < folds; f++) {
    const others = sets.map((s) => (s === held ? { name: s.name, readings: s.readings.filter((_, i) => fold[i] !== f) } : s));
    const { chosen: e } = chooseEnsemble(others, candidates);
    chosen.push(e);
    held.readings.forEach((r, i) => {
      if (fold[i] === f) probabilities[i] = ensembleReading(r, e);
    });
  }
  return { probabilities, chosen };
}
