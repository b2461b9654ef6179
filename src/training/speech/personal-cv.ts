/**
 * Personal calibration on the speech model's cross-validation predictions: each clip of a test
 * speaker, read by a fold model that never heard that speaker, is calibrated with K of the
 * speaker's *other* clips (labelled as a listener would label them), through the app's own
 * `fitPersonalCalibration`. Written to the run's `personal.json` and read by the model card.
 *
 * `npx tsx src/training/speech/personal-cv.ts [RUN_DIR] [FEATURES_INDEX]` (defaults: the
 * training cache, node_modules/.cache/norae-speech/{run,features/index.json}).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PersonalCalibrationOptions } from '../../core/emotion/personal-calibration.ts';
import { personalCurve, type AnswerKind, type PersonalEvalItem, type PersonalEvalPoint } from '../personal-eval.ts';
import { AFFECT_TARGETS, SPEECH_LABELS } from './config.ts';
import type { FeatureClip } from './feature-export.ts';

/**
 * Settings of personal calibration compared on the cross-validation predictions (the first is
 * what the app ships unless the rule in {@link choosePersonalModel} picks another).
 */
export const PERSONAL_CANDIDATES: Record<string, Partial<PersonalCalibrationOptions>> = {
  'global': { model: 'global' },
  'global, strong prior': { model: 'global', scalePrior: 8, offsetPrior: 4, biasPrecision: 4 },
  'local 0.3': { model: 'local', localWidth: 0.3, localPrior: 1 },
  'local 0.2': { model: 'local', localWidth: 0.2, localPrior: 1 },
  'local 0.5, prior 2': { model: 'local', localWidth: 0.5, localPrior: 2 },
  'local 0.3, prior 0.5': { model: 'local', localWidth: 0.3, localPrior: 0.5 },
  'local 0.2, prior 0.5': { model: 'local', localWidth: 0.2, localPrior: 0.5 },
};

/** The rule's allowance: no corpus may lose more UAR than this at any K. */
export const PERSONAL_LOSS_ALLOWANCE = 0.01;

/**
 * The choice, on clean cross-validation predictions read as the app reads them (`mode`): the
 * candidate with the largest mean gain in UAR + arousal accuracy over corpora and K = 2, 4, 8
 * (K = 1 never switches on: the leave-one-out check needs two answers), among those that lose no
 * more than {@link PERSONAL_LOSS_ALLOWANCE} UAR on any corpus at any K. Null when none qualifies.
 */
export function choosePersonalModel(all: Record<string, PersonalCvResults>, mode: string): { name: string | null; scores: Record<string, { gain: number; worstLoss: number; eligible: boolean }> } {
  const scores: Record<string, { gain: number; worstLoss: number; eligible: boolean }> = {};
  for (const [name, results] of Object.entries(all)) {
    const curves = Object.values(results[mode]?.label ?? {});
    if (curves.length === 0) continue;
    let gain = 0;
    let n = 0;
    let worstLoss = 0;
    for (const curve of curves) {
      const base = curve[0];
      for (const p of curve.filter((x) => x.k >= 2)) {
        gain += p.uar - base.uar + (p.arousal - base.arousal);
        n++;
        worstLoss = Math.max(worstLoss, base.uar - p.uar);
      }
    }
    scores[name] = { gain: gain / Math.max(1, n), worstLoss, eligible: worstLoss <= PERSONAL_LOSS_ALLOWANCE };
  }
  const best = Object.entries(scores)
    .filter(([, s]) => s.eligible && s.gain > 0)
    .sort((a, b) => b[1].gain - a[1].gain)[0];
  return { name: best?.[0] ?? null, scores };
}

/** K values, draws per K and the seed the model card reports. */
export const PERSONAL_KS = [1, 2, 4, 8] as const;
export const PERSONAL_DRAWS = 5;
export const PERSONAL_SEED = 20;

interface Entry {
  logits: number[][];
  affect: [number, number];
}
interface CvTask {
  task: string;
  predictions: Record<string, Record<string, Entry> | unknown>;
}

/** personal.json: per prediction mode, per answer kind, per corpus, the curve (K = 0 first). */
export type PersonalCvResults = Record<string, Record<AnswerKind, Record<string, PersonalEvalPoint[]>>>;

function clipProbabilities(entry: Entry, temperature: number): number[] {
  const out = new Array<number>(SPEECH_LABELS.length).fill(0);
  for (const window of entry.logits) {
    const max = Math.max(...window);
    const e = window.map((z) => Math.exp((z - max) / temperature));
    const total = e.reduce((s, x) => s + x, 0);
    e.forEach((x, i) => (out[i] += x / total / entry.logits.length));
  }
  return out;
}

/** Items of one prediction mode over all CV folds, each with its fold's cross-fitted temperature. */
function itemsOf(runDir: string, clips: readonly FeatureClip[], mode: string, temperatureOf: (task: string) => number): Map<string, PersonalEvalItem[]> {
  const byCorpus = new Map<string, PersonalEvalItem[]>();
  for (const name of readdirSync(runDir).filter((n) => /^cv-\d+\.json$/.test(n)).sort()) {
    const task = JSON.parse(readFileSync(join(runDir, name), 'utf8')) as CvTask;
    const entries = task.predictions[mode] as Record<string, Entry> | undefined;
    if (!entries) continue;
    const t = temperatureOf(task.task);
    const seen = new Set<number>();
    for (const [key, entry] of Object.entries(entries)) {
      // Modes with several profile draws per clip key them "clip:draw": one reading per clip, so
      // a clip never calibrates itself through another draw.
      const id = Number(key.split(':')[0]);
      if (seen.has(id)) continue;
      seen.add(id);
      const clip = clips[id];
      const probabilities = clipProbabilities(entry, t);
      const item = { group: clip.speaker, label: clip.label, probabilities, valence: entry.affect[0], arousal: entry.affect[1] };
      byCorpus.set(clip.corpus, [...(byCorpus.get(clip.corpus) ?? []), item]);
    }
  }
  return byCorpus;
}

/** The curves for every mode present in the run (cold and adapted, clean and room, and any profile variants). */
export function personalCvResults(runDir: string, clips: readonly FeatureClip[], modes: readonly string[], calibration?: Partial<PersonalCalibrationOptions>): PersonalCvResults {
  const resultsPath = join(runDir, 'results.json');
  const folds = existsSync(resultsPath) ? ((JSON.parse(readFileSync(resultsPath, 'utf8')) as { cv?: { folds?: { task: string; temperature: number }[] } }).cv?.folds ?? []) : [];
  const temperatureOf = (task: string) => folds.find((f) => f.task === task)?.temperature ?? 1;
  const out: PersonalCvResults = {};
  for (const mode of modes) {
    const byCorpus = itemsOf(runDir, clips, mode, temperatureOf);
    if (byCorpus.size === 0) continue;
    out[mode] = { label: {}, tap: {} };
    for (const answers of ['label', 'tap'] as const) {
      for (const [corpus, items] of [...byCorpus.entries()].sort()) {
        out[mode][answers][corpus] = personalCurve(items, { labels: SPEECH_LABELS, affectTargets: AFFECT_TARGETS, ks: PERSONAL_KS, draws: PERSONAL_DRAWS, seed: PERSONAL_SEED, answers, calibration });
      }
    }
  }
  return out;
}

/** What the model card reports (training-record.json `personal`). */
export interface PersonalRecord {
  ks: number[];
  draws: number;
  seed: number;
  /** The prediction modes read: the app's adapted reading (clean, room) and cold. */
  modes: { clean: string; room: string; cleanCold: string; roomCold: string };
  candidates: Record<string, Partial<PersonalCalibrationOptions>>;
  /** The rule's outcome on clean CV, and the same scores on the room (the check on a second kind of data). */
  chosen: string | null;
  scores: ReturnType<typeof choosePersonalModel>['scores'];
  roomScores: ReturnType<typeof choosePersonalModel>['scores'];
  allowance: number;
  /** The chosen settings' curves: mode → answers → corpus → K = 0, 1, 2, 4, 8. */
  curves: PersonalCvResults;
  /** Every candidate's curves on the clean adapted mode, label answers (for the comparison table). */
  candidateCurves: Record<string, Record<string, PersonalEvalPoint[]>>;
}

/**
 * Measures every candidate on the run's CV predictions (clean and room, read as the app reads
 * them with `weightingTag`'s profiles, and cold), applies the rule, and keeps the chosen
 * settings' curves for the card.
 */
export function personalRecord(runDir: string, clips: readonly FeatureClip[], weightingTag: string, log: (line: string) => void = () => undefined): PersonalRecord {
  const modes = {
    clean: weightingTag === 'none' ? 'cleanAdapted' : `cleanAdaptedW:${weightingTag}`,
    room: weightingTag === 'none' ? 'roomAdapted' : `roomAdaptedW:${weightingTag}`,
    cleanCold: 'cleanCold',
    roomCold: 'roomCold',
  };
  const all: Record<string, PersonalCvResults> = {};
  for (const [name, calibration] of Object.entries(PERSONAL_CANDIDATES)) {
    all[name] = personalCvResults(runDir, clips, Object.values(modes), calibration);
    log(`personal calibration: measured "${name}"`);
  }
  const choice = choosePersonalModel(all, modes.clean);
  const room = choosePersonalModel(all, modes.room);
  return {
    ks: [...PERSONAL_KS],
    draws: PERSONAL_DRAWS,
    seed: PERSONAL_SEED,
    modes,
    candidates: PERSONAL_CANDIDATES,
    chosen: choice.name,
    scores: choice.scores,
    roomScores: room.scores,
    allowance: PERSONAL_LOSS_ALLOWANCE,
    curves: choice.name ? all[choice.name] : {},
    candidateCurves: Object.fromEntries(Object.entries(all).map(([name, r]) => [name, r[modes.clean]?.label ?? {}])),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `personal-cv.ts [RUN_DIR] [FEATURES_INDEX]`: measures, then stores the result in the shipped
  // model's training-record.json (`npm run train:speech -- --card-only` then rewrites the card).
  const cache = 'node_modules/.cache/norae-speech';
  const runDir = process.argv[2] ?? join(cache, 'run');
  const index = JSON.parse(readFileSync(process.argv[3] ?? join(cache, 'features', 'index.json'), 'utf8')) as { clips: FeatureClip[] };
  const modelDir = fileURLToPath(new URL('../../../models/speech-emotion/', import.meta.url));
  const metadata = JSON.parse(readFileSync(join(modelDir, 'metadata.json'), 'utf8')) as { adaptation: { profileWeighting?: { kind: string } } };
  const tag = ({ none: 'none', 'p-neutral': 'pneutral', 'neutral-distance': 'ndist' } as Record<string, string>)[metadata.adaptation.profileWeighting?.kind ?? 'none'] ?? 'none';
  const record = personalRecord(runDir, index.clips, tag, (l) => console.log(l));
  for (const [name, score] of Object.entries(record.scores)) console.log(`${name.padEnd(22)} clean gain ${score.gain.toFixed(4)} worst loss ${score.worstLoss.toFixed(3)}${score.eligible ? '' : ' (not eligible)'}   room gain ${record.roomScores[name]?.gain.toFixed(4)} worst loss ${record.roomScores[name]?.worstLoss.toFixed(3)}`);
  console.log(`chosen: ${record.chosen}`);
  const recordPath = join(modelDir, 'training-record.json');
  const training = JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(recordPath, `${JSON.stringify({ ...training, personal: record }, null, 2)}\n`);
  console.log(`wrote personal to ${recordPath}`);
}
