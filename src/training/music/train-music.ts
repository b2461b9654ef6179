/**
 * Fits the music emotion model: `npm run train:music -- --data ../shared/datasets/music/4q`.
 *
 * 1. Every clip of the manifest goes through the app's own decode + analysis path
 *    (`analyseBlobExcerpts`: the excerpts the app reads; a 30-s clip whole), cached in `.cache/music-features/` while the analyser sources
 *    are unchanged.
 * 2. Nested cross-validation grouped by artist (no artist in both train and test; hyper-
 *    parameters chosen by inner grouped CV on the outer training part only) reports quadrant,
 *    valence-sign and arousal-sign accuracy, mean ± sd over outer folds × repeats, for the
 *    full feature set and for the seed's five features.
 * 3. The final model is fitted on every clip (hyper-parameters by grouped CV on all clips) and
 *    written with its reference ranges, weights and the CV figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { groupKFold, meanStd } from './cross-validation.ts';
import { analyserSourceHash, featuresWithCache, readManifest, REPO_ROOT } from './dataset.ts';
import { candidateFeatureSets, SEED_FEATURES } from './feature-sets.ts';
import { fitCalibratedModel, score, selectHyperParameters, type FeatureSpec, type LabelledClip, type Scores } from './fit-emotion.ts';

interface CvSummary {
  folds: number;
  repeats: number;
  quadrant: { mean: number; std: number };
  valenceSign: { mean: number; std: number };
  arousalSign: { mean: number; std: number };
  /** Held-out mean log-likelihood of the sign labels under P = (1 + sign · score) / 2 (ln 0.5 = −0.693 is chance). */
  valenceLogLik: { mean: number; std: number };
  arousalLogLik: { mean: number; std: number };
  selections: string[];
}

function nestedCv(
  clips: LabelledClip[],
  featureSets: Record<string, FeatureSpec[]>,
  folds: number,
  repeats: number,
  allowGated: boolean,
  label: string,
): CvSummary {
  const perFold: Scores[] = [];
  const selections: string[] = [];
  const temperatures: Array<[number, number]> = [];
  for (let r = 0; r < repeats; r++) {
    const fold = groupKFold(clips.map((c) => c.artist), folds, 1000 + r);
    for (let f = 0; f < folds; f++) {
      const train = clips.filter((_, i) => fold[i] !== f);
      const test = clips.filter((_, i) => fold[i] === f);
      const trainArtists = new Set(train.map((c) => c.artist));
      if (test.some((c) => trainArtists.has(c.artist))) throw new Error('artist leak between folds');
      const selection = selectHyperParameters(train, featureSets, { folds: 4, seed: 7 + r * 31 + f, allowGated });
      const { model, arousalTemperature, valenceTemperature } = fitCalibratedModel(
        train,
        { features: featureSets[selection.featureSet], ...selection },
        { folds: 5, seed: 11 + r * 17 + f },
      );
      const s = score(model, test);
      perFold.push(s);
      temperatures.push([arousalTemperature, valenceTemperature]);
      selections.push(
        `${selection.featureSet} λa=${selection.arousalLambda} λv=${selection.valenceLambda}${selection.gatedValence ? ' gated' : ''} Ta=${arousalTemperature.toFixed(2)} Tv=${valenceTemperature.toFixed(2)}`,
      );
      process.stdout.write(
        `  ${label} repeat ${r + 1} fold ${f + 1}: n=${test.length} quadrant ${s.quadrant.toFixed(3)} valence ${s.valence.toFixed(3)} arousal ${s.arousal.toFixed(3)} (${selections.at(-1)})\n`,
      );
    }
  }
  return {
    folds,
    repeats,
    quadrant: meanStd(perFold.map((s) => s.quadrant)),
    valenceSign: meanStd(perFold.map((s) => s.valence)),
    arousalSign: meanStd(perFold.map((s) => s.arousal)),
    valenceLogLik: meanStd(perFold.map((s) => s.valenceLogLik)),
    arousalLogLik: meanStd(perFold.map((s) => s.arousalLogLik)),
    selections,
  };
}

const fmt = (m: { mean: number; std: number }): string => `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      out: { type: 'string', default: join(REPO_ROOT, 'models/music-emotion/model-v1.json') },
      folds: { type: 'string', default: '5' },
      repeats: { type: 'string', default: '3' },
      'no-write': { type: 'boolean', default: false },
      'skip-baseline': { type: 'boolean', default: false },
    },
  });
  if (!values.data) throw new Error('usage: npm run train:music -- --data DIR_WITH_manifest.csv [--out model.json]');
  const manifestPath = values.data.endsWith('.csv') ? resolve(values.data) : resolve(values.data, 'manifest.csv');
  const entries = readManifest(manifestPath);
  const sourceHash = analyserSourceHash();
  const clips: LabelledClip[] = [];
  let extracted = 0;
  const started = performance.now();
  for (const [i, entry] of entries.entries()) {
    if (entry.valenceSign === undefined || entry.arousalSign === undefined) throw new Error(`${entry.file}: no labels`);
    const result = await featuresWithCache(entry.absolutePath, sourceHash);
    if (!result.cached) extracted++;
    clips.push({ file: entry.file, artist: entry.artist ?? entry.file, features: result.features, valenceSign: entry.valenceSign, arousalSign: entry.arousalSign });
    if ((i + 1) % 50 === 0) process.stdout.write(`features: ${i + 1}/${entries.length} (${extracted} extracted, ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  const folds = Number(values.folds);
  const repeats = Number(values.repeats);
  const artists = new Set(clips.map((c) => c.artist)).size;
  console.log(`${clips.length} clips, ${artists} artists; nested CV grouped by artist, ${folds} folds × ${repeats} repeats`);

  const { SONG_FEATURE_NAMES } = await import('../../core/music/song-features.ts');
  const featureSets = candidateFeatureSets(SONG_FEATURE_NAMES);
  const full = nestedCv(clips, featureSets, folds, repeats, true, 'ours');
  const seed = values['skip-baseline'] ? null : nestedCv(clips, { seed5: SEED_FEATURES }, folds, repeats, false, 'seed5');
  const sizes = Object.entries(featureSets).map(([k, v]) => `${k} ${v.length}`).join(', ');
  console.log(`\nours (feature set chosen inside: ${sizes}): quadrant ${fmt(full.quadrant)}, valence-sign ${fmt(full.valenceSign)}, arousal-sign ${fmt(full.arousalSign)}`);
  if (seed) console.log(`seed5 baseline:        quadrant ${fmt(seed.quadrant)}, valence-sign ${fmt(seed.valenceSign)}, arousal-sign ${fmt(seed.arousalSign)}`);

  const selection = selectHyperParameters(clips, featureSets, { folds: 5, seed: 99, allowGated: true, repeats: 3 });
  const { model, arousalTemperature, valenceTemperature } = fitCalibratedModel(
    clips,
    { features: featureSets[selection.featureSet], ...selection },
    { folds: 5, seed: 123 },
  );
  const training = {
    command: 'npm run train:music -- --data ../shared/datasets/music/4q',
    data: `4Q audio emotion dataset (Panda, Malheiro & Paiva 2018): ${clips.length} 30-second clips, 75 per quadrant, ${artists} artists; labels from AllMusic mood tags mapped to Russell quadrants`,
    method:
      'two L2-regularised logistic regressions (valence sign, arousal sign) on features normalised by fixed reference ranges (5th–95th percentile of the training clips); the valence weights may vary linearly with the predicted arousal (arousal-gated); each head temperature-calibrated on out-of-fold logits (folded into the weights); score = tanh(logit / 2)',
    hyperParameters: { ...selection, arousalTemperature, valenceTemperature },
    crossValidation: {
      protocol: `nested, grouped by artist: ${folds} outer folds × ${repeats} repeats, hyper-parameters by 4-fold grouped inner CV on each outer training part`,
      ours: {
        quadrant: full.quadrant,
        valenceSign: full.valenceSign,
        arousalSign: full.arousalSign,
        valenceHeldOutLogLikelihood: full.valenceLogLik,
        arousalHeldOutLogLikelihood: full.arousalLogLik,
        innerSelections: full.selections,
      },
      seedFiveFeatures: seed ? { quadrant: seed.quadrant, valenceSign: seed.valenceSign, arousalSign: seed.arousalSign } : null,
    },
    analyserSourceHash: sourceHash,
  };
  const inSample = score(model, clips);
  console.log(`held-out log-likelihood per clip (chance −0.693): valence ${fmt(full.valenceLogLik)}, arousal ${fmt(full.arousalLogLik)}`);
  console.log(`final model: ${JSON.stringify({ ...selection, arousalTemperature, valenceTemperature })}; in-sample (optimistic, not a result) quadrant ${inSample.quadrant.toFixed(3)}`);
  if (!values['no-write']) {
    const out = resolve(values.out ?? '');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ ...model, training }, null, 2) + '\n');
    console.log(`wrote ${out}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
