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
};

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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cache = 'node_modules/.cache/norae-speech';
  const runDir = process.argv[2] ?? join(cache, 'run');
  const index = JSON.parse(readFileSync(process.argv[3] ?? join(cache, 'features', 'index.json'), 'utf8')) as { clips: FeatureClip[] };
  const sample = JSON.parse(readFileSync(join(runDir, readdirSync(runDir).filter((n) => /^cv-\d+\.json$/.test(n))[0]), 'utf8')) as CvTask;
  const modes = Object.keys(sample.predictions).filter((m) => m !== 'profileUtterances' && !/^(cnn|stats):/.test(m) && !/^profile\d/.test(m));
  const only = process.argv[4];
  const all: Record<string, PersonalCvResults> = {};
  for (const [name, calibration] of Object.entries(PERSONAL_CANDIDATES)) {
    const results = personalCvResults(runDir, index.clips, only ? modes.filter((m) => m === only) : modes, calibration);
    all[name] = results;
    for (const [mode, kinds] of Object.entries(results)) {
      for (const answers of ['label', 'tap'] as const) {
        for (const [corpus, curve] of Object.entries(kinds[answers])) {
          console.log(`${name.padEnd(22)} ${answers.padEnd(5)} ${mode.padEnd(26)} ${corpus.padEnd(8)} ${curve.map((p) => `K=${p.k} ${p.uar.toFixed(3)}/${p.arousal.toFixed(3)}${p.k > 0 ? ` (${(100 * p.activeShare).toFixed(0)}%)` : ''}`).join('  ')}`);
        }
      }
    }
  }
  writeFileSync(join(runDir, 'personal.json'), JSON.stringify(all, null, 1));
}
