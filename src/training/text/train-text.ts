/**
 * `npm run train:text -- --data ../shared/datasets/text [options]`
 *
 * Reproduces models/text-emotion/ from KOTE (`kote/manifest.csv`: Korean comments with their
 * emotion names), NSMC (`nsmc/manifest.csv`: Korean movie reviews with their 1–10 rating) and
 * Norae's own first-person phrases (`self-reports/seed.csv`, KOTE names, in this folder):
 *  1. reads the manifests; KOTE and seed names become soft targets (`koteTargets`), ratings valence;
 *  2. deals 5 folds: NSMC grouped by movie, KOTE by comment (`textFolds`); seed rows are in no
 *     fold — every fold's model trains on them, none predicts them, no figure includes them;
 *  3. exports every text's features with the app's own `textFeatureIndices`, once per candidate
 *     table size, on every run (so a change of the feature code is always picked up);
 *  4. cross-validates the candidates in PyTorch (train_text.py cv) and scores their out-of-fold
 *     predictions on the corpora; the selection rule (config.ts) picks one;
 *  5. fits the temperature, `unsureBelow` and the reliabilities on the chosen one's out-of-fold predictions;
 *  6. trains it on every row (train_text.py final), writes weights.bin (float16) and metadata.json,
 *     and checks that the app's `runTextModel` reproduces PyTorch on 256 texts (fails otherwise);
 *  7. reads the check list (`self-reports/check.csv`) and the seed phrases (in-sample) through the
 *     app's own `TextEmotionReader` on the written files;
 *  8. writes training-record.json and MODEL_CARD.md.
 *
 * Options: --out DIR (models/text-emotion) --cache DIR (node_modules/.cache/norae-text) --seed N (1)
 *   --python PATH (/usr/bin/python3) --threads N (2) --candidates a,b (a subset, by name)
 *   --reuse-run (keep the last PyTorch outputs: redo only the TypeScript steps 4–8; refused — PyTorch
 *   reruns — when the exported features, targets or settings differ from those the outputs came from)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { recordedCommand } from '../command-line.ts';
import { TextEmotionReader } from '../../adapters/text/text-emotion-reader.ts';
import { EMOTIONS } from '../../core/emotion/emotions.ts';
import { feelingStems, feelingWordsWeight, findFeelingWords } from '../../core/text/korean-feelings.ts';
import { hashString, normaliseText, textFeatureIndices, textFeatureStrings, tokenise } from '../../core/text/text-features.ts';
import { expectedTextTensors, parseTextModelMetadata, runTextModel, splitTextWeights, type TextModelMetadata } from '../../core/text/text-model.ts';
import { languageOf, readingFromModel, withFeelingWords, type TextReading } from '../../core/text/text-reading.ts';
import { appReading, readingFigures, stemEffects, textReliability, unsureCandidates, type KoteTarget } from './app-reading.ts';
import {
  DEVELOPMENT_NOTE,
  FOLDS,
  MIN_RELIABILITY_SUPPORT,
  SEED_LOSS_SHARE_REASON,
  SELECTION_RULE,
  TEXT_CANDIDATES,
  TEXT_TRAINING,
  WEIGHTS_BUDGET_BYTES,
  candidateBytes,
  candidateFeatures,
  chooseCandidate,
  featureKey,
  seedRowWeight,
  selectionScore,
  type TextCandidate,
} from './config.ts';
import { evaluationRows, koteTrainingRows, nsmcTrainingRows, readTextManifest, seedTrainingRows, textFolds, type TextTrainingRow } from './corpora.ts';
import { exportTextFeatures, readFloat32Rows, readTextFeatures, writeFloat32 } from './export-features.ts';
import { UNSURE_RULE, fitTemperature, fitUnsureBelow, koteFigures, pooledValenceR, ratingFigures, softmax, type CvFigures, type KoteFigures, type RatingFigures } from './metrics.ts';
import { writeTextModelCard, type TextTrainingRecord } from './model-card.ts';
import { CARD_EXAMPLES, PARITY_EXTRA_TEXTS, PARITY_TOLERANCE, featureFingerprint, parityRows } from './parity.ts';
import { CHECK_PATH, SEED_PATH, hasNegation, passesValence, readCheckList, readSeedPhrases, runCheckList } from './self-reports.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function fail(message: string): never {
  console.error(`train:text: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../../../models/text-emotion', import.meta.url)) },
    cache: { type: 'string', default: fileURLToPath(new URL('../../../node_modules/.cache/norae-text', import.meta.url)) },
    seed: { type: 'string', default: '1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    threads: { type: 'string', default: '2' },
    candidates: { type: 'string' },
    'reuse-run': { type: 'boolean', default: false },
  },
});
const data = values.data ?? fail('--data DIR (the folder holding kote/ and nsmc/) is required');
const manifests = { kote: resolve(data, 'kote', 'manifest.csv'), nsmc: resolve(data, 'nsmc', 'manifest.csv') };
for (const m of Object.values(manifests)) if (!existsSync(m)) fail(`${m} not found`);
const seed = Number(values.seed);
const cache = resolve(values.cache);
const outDir = resolve(values.out);
const runDir = join(cache, 'run');
const candidates: TextCandidate[] = values.candidates ? values.candidates.split(',').map((n) => TEXT_CANDIDATES.find((c) => c.name === n) ?? fail(`no candidate ${n}`)) : TEXT_CANDIDATES;
const started = performance.now();
const seconds = () => (performance.now() - started) / 1000;
const log = (message: string) => console.log(`[train:text ${seconds().toFixed(0)} s] ${message}`);
const timings: Record<string, number> = {};
mkdirSync(runDir, { recursive: true });

// 1–2. Rows, targets, folds.
const koteText = readFileSync(manifests.kote);
const nsmcText = readFileSync(manifests.nsmc);
const seedText = readFileSync(SEED_PATH);
const seedManifest = readTextManifest(SEED_PATH);
const checkList = readCheckList(CHECK_PATH);
const rows: TextTrainingRow[] = [...koteTrainingRows(readTextManifest(manifests.kote)), ...nsmcTrainingRows(readTextManifest(manifests.nsmc)), ...seedTrainingRows(seedManifest)];
const folds = textFolds(rows, FOLDS, seed);
// Every figure below is computed on these rows only: the corpora, never the seed phrases.
const { kote, nsmc } = evaluationRows(rows, folds);
const seedRows = rows.flatMap((r, i) => (r.corpus === 'seed' ? [i] : []));
const movies = new Set(nsmc.map((i) => rows[i].group)).size;
const seedWeight = {
  cv: Array.from({ length: FOLDS }, (_, f) => seedRowWeight(kote.length + nsmc.length - [...kote, ...nsmc].filter((i) => folds[i] === f).length, seedRows.length)),
  final: seedRowWeight(kote.length + nsmc.length, seedRows.length),
};
log(`${kote.length} KOTE comments, ${nsmc.length} NSMC reviews of ${movies} movies, ${seedRows.length} seed phrases (in every fold's training, weight ${seedWeight.cv[0].toFixed(2)} each); ${FOLDS} folds`);
const CORPUS_CODE = { kote: 0, nsmc: 1, seed: 2 } as const;
const targets = new Float32Array(rows.length * 14);
rows.forEach((r, i) => {
  const t = targets.subarray(i * 14, (i + 1) * 14);
  r.emotion?.forEach((p, c) => (t[c] = p));
  t[8] = r.valence;
  t[9] = r.arousal ?? 0;
  t[10] = r.emotion ? 1 : 0;
  t[11] = r.arousal === null ? 0 : 1;
  t[12] = CORPUS_CODE[r.corpus];
  t[13] = folds[i];
});
writeFloat32(join(cache, 'targets.f32'), targets);

// 3. Features, by the app's code, once per distinct spec; the parity texts too.
const parity = parityRows(rows, 248);
const parityTexts = [...parity.map((i) => rows[i].text), ...PARITY_EXTRA_TEXTS];
const specs = new Map(candidates.map((c) => [featureKey(candidateFeatures(c)), candidateFeatures(c)]));
const featureCounts: Record<string, number> = {};
for (const [key, spec] of specs) {
  featureCounts[key] = exportTextFeatures(
    rows.map((r) => r.text),
    spec,
    join(cache, `features-${key}`),
  ).features;
  exportTextFeatures(parityTexts, spec, join(cache, `parity-${key}`));
}
// How many distinct features the training texts hold (by full 32-bit hash) and how many table rows they fill.
const featureStats = Object.fromEntries(
  [...specs].map(([key, spec]) => {
    const distinct = new Set<number>();
    for (const r of rows) for (const f of textFeatureStrings(r.text, spec)) distinct.add(hashString(f));
    return [key, { perText: r4(featureCounts[key] / rows.length), distinct: distinct.size, rowsUsed: new Set([...distinct].map((h) => h % spec.buckets)).size, buckets: spec.buckets }];
  }),
);
// How often the corpora negate a word at all (what the net can learn negated features from).
const negationShare = (indices: number[]) => r4(indices.filter((i) => tokenise(normaliseText(rows[i].text)).some((t) => t.negated)).length / Math.max(1, indices.length));
const negation = { kote: negationShare(kote), nsmc: negationShare(nsmc), seed: seedRows.filter((i) => hasNegation(rows[i].text)).length };
timings.features = seconds();
log(`features exported (${[...specs.keys()].join(', ')}): ${(Object.values(featureCounts)[0] / rows.length).toFixed(1)} per text on average`);
writeFileSync(
  join(cache, 'settings.json'),
  JSON.stringify({ seed, folds: FOLDS, threads: Number(values.threads), training: TEXT_TRAINING, configs: candidates.map((c) => ({ ...c, features: featureKey(candidateFeatures(c)) })) }, null, 1),
);

// What the PyTorch outputs in runDir were computed from: --reuse-run reuses them only when this matches.
const inputHash = (() => {
  const h = createHash('sha256');
  h.update(readFileSync(join(cache, 'settings.json')));
  h.update(readFileSync(join(cache, 'targets.f32')));
  for (const key of specs.keys()) for (const dir of [`features-${key}`, `parity-${key}`]) for (const f of ['indices.u32', 'offsets.u32']) h.update(readFileSync(join(cache, dir, f)));
  return h.digest('hex');
})();
const reusable = (stamp: string, output: string) => values['reuse-run'] && existsSync(join(runDir, output)) && existsSync(join(runDir, stamp)) && readFileSync(join(runDir, stamp), 'utf8') === inputHash;
if (values['reuse-run'] && !reusable('cv-inputs.txt', 'cv.json')) log('--reuse-run: the cached PyTorch outputs came from other features, targets or settings; running PyTorch again');

function python(args: string[]): void {
  const run = spawnSync(values.python, [fileURLToPath(new URL('./train_text.py', import.meta.url)), ...args], { stdio: 'inherit' });
  if (run.status !== 0) fail(`train_text.py ${args[0]} failed (exit ${run.status ?? run.signal})`);
}

// 4. Cross-validation.
const cvStarted = seconds();
const cvReused = reusable('cv-inputs.txt', 'cv.json');
if (!cvReused) {
  python(['cv', join(cache, 'settings.json'), runDir]);
  writeFileSync(join(runDir, 'cv-inputs.txt'), inputHash);
}
timings.cv = seconds() - cvStarted;
const cvRecord = JSON.parse(readFileSync(join(runDir, 'cv.json'), 'utf8')) as {
  versions: Record<string, string>;
  configs: Record<string, { folds: { fold: number; seedRows: number; seedRowWeight: number; testRows: number; history: unknown[]; seconds: number }[]; seconds: number }>;
};
// PyTorch's own seed weights and counts must be what config.ts says (a mismatch would shift the seed phrases' share silently).
for (const c of candidates) {
  for (const f of cvRecord.configs[c.name]?.folds ?? fail(`cv.json has no ${c.name}`)) {
    if (f.seedRows !== seedRows.length) fail(`fold ${f.fold} of ${c.name} trained on ${f.seedRows} seed rows, expected all ${seedRows.length}`);
    if (Math.abs(f.seedRowWeight - seedWeight.cv[f.fold]) > 1e-3 * seedWeight.cv[f.fold]) fail(`fold ${f.fold} of ${c.name}: seed row weight ${f.seedRowWeight}, config.ts gives ${seedWeight.cv[f.fold]}`);
  }
}

interface Oof {
  logits: number[][];
  valence: number[];
  arousal: number[];
}
function readOof(name: string): Oof {
  const m = readFloat32Rows(join(runDir, `oof-${name}.f32`), 10);
  if (m.length !== rows.length) fail(`oof-${name}.f32 has ${m.length} rows, expected ${rows.length}`);
  return { logits: m.map((r) => Array.from(r.subarray(0, 8))), valence: m.map((r) => r[8]), arousal: m.map((r) => r[9]) };
}

function figures(oof: Oof, subset: (i: number) => boolean = () => true, temperatures?: number[]): CvFigures {
  const k = kote.filter(subset);
  const n = nsmc.filter(subset);
  const crossFitted =
    temperatures ??
    Array.from({ length: FOLDS }, (_, f) => {
      const fit = kote.filter((i) => folds[i] !== f);
      return fitTemperature(
        fit.map((i) => oof.logits[i]),
        fit.map((i) => rows[i].emotion as number[]),
      );
    });
  const koteRows = (temperature: (i: number) => number) =>
    k.map((i) => ({
      target: rows[i].emotion as number[],
      targetValence: rows[i].valence,
      targetArousal: rows[i].arousal as number,
      polarity: rows[i].polarity,
      probabilities: softmax(oof.logits[i], temperature(i)),
      valence: oof.valence[i],
      arousal: oof.arousal[i],
    }));
  const koteCal = koteFigures(koteRows((i) => crossFitted[folds[i]]));
  const koteRaw = koteFigures(koteRows(() => 1));
  const nsmcF = ratingFigures(n.map((i) => ({ rating: rows[i].rating as number, valence: oof.valence[i] })));
  const valenceReliability = pooledValenceR(
    k.filter((i) => rows[i].polarity !== null).map((i) => ({ valence: oof.valence[i], target: rows[i].valence })),
    n.map((i) => ({ valence: oof.valence[i], target: rows[i].valence })),
  );
  const perFold = temperatures
    ? []
    : Array.from({ length: FOLDS }, (_, f) => {
        const sub = figures(oof, (i) => folds[i] === f, crossFitted);
        return { nsmcSignAccuracy: sub.nsmc.signAccuracy, koteSignAgreement: sub.kote.clear.signAgreement, koteUar: sub.kote.uar, nsmcSpearman: sub.nsmc.spearman };
      });
  return {
    kote: koteCal,
    koteUncalibrated: { softNll: koteRaw.softNll, ece: koteRaw.ece, meanConfidence: koteRaw.meanConfidence },
    nsmc: nsmcF,
    valenceReliability,
    crossFittedTemperatures: crossFitted,
    perFold,
    score: selectionScore({ nsmcSignAccuracy: nsmcF.signAccuracy, koteSignAgreement: koteCal.clear.signAgreement, koteUar: koteCal.uar }),
  };
}

const oofs = new Map(candidates.map((c) => [c.name, readOof(c.name)]));
const cv = new Map(candidates.map((c) => [c.name, figures(oofs.get(c.name) as Oof)]));
for (const c of candidates) {
  const f = cv.get(c.name) as CvFigures;
  log(
    `  ${c.name.padEnd(16)} NSMC sign ${f.nsmc.signAccuracy.toFixed(3)} ρ ${f.nsmc.spearman.toFixed(3)} | KOTE clear sign ${f.kote.clear.signAgreement.toFixed(3)} UAR ${f.kote.uar.toFixed(3)} arousal r ${f.kote.arousalR.toFixed(3)} NLL ${f.kote.softNll.toFixed(3)} | score ${f.score.toFixed(4)}`,
  );
}
const chosenIndex = chooseCandidate(candidates.map((c) => (cv.get(c.name) as CvFigures).score));
const chosen = candidates[chosenIndex];
const chosenCv = cv.get(chosen.name) as CvFigures;
const chosenOof = oofs.get(chosen.name) as Oof;
log(`chosen: ${chosen.name}`);

// 5. Calibration, unsure threshold, reliabilities — all from the chosen one's out-of-fold predictions.
// The temperature is the net's own (KOTE soft-target NLL). The app does not read Korean with the
// net alone: it blends in the feeling words it finds (withFeelingWords), so `unsureBelow` and the
// reliabilities fusion weighs the words by come from that "app reading", rebuilt for every corpus
// text from the net's out-of-fold outputs by the core's own code (app-reading.ts).
const temperature = fitTemperature(
  kote.map((i) => chosenOof.logits[i]),
  kote.map((i) => rows[i].emotion as number[]),
);
const chosenFeatureCounts = readTextFeatures(join(cache, `features-${featureKey(candidateFeatures(chosen))}`)).map((f) => f.length);
if (chosenFeatureCounts.length !== rows.length) fail(`features of ${chosen.name}: ${chosenFeatureCounts.length} texts, expected ${rows.length}`);
// Cross-fitted temperatures (fold k's from the other folds' comments), as the net's figures use.
const readings = new Map<number, { net: TextReading; app: TextReading }>(
  [...kote, ...nsmc].map((i) => [
    i,
    appReading({ classes: [...EMOTIONS], unsureBelow: 0, reliability: { perEmotion: {}, valence: 0, arousal: 0 } }, { logits: chosenOof.logits[i], valence: chosenOof.valence[i], arousal: chosenOof.arousal[i] }, chosenCv.crossFittedTemperatures[folds[i]], rows[i].text, chosenFeatureCounts[i]),
  ]),
);
const koteTarget = (i: number): KoteTarget => ({ target: rows[i].emotion as number[], targetValence: rows[i].valence, targetArousal: rows[i].arousal as number, polarity: rows[i].polarity });
const readingsFigures = (which: 'net' | 'app') =>
  readingFigures(
    kote.map((i) => ({ target: koteTarget(i), reading: (readings.get(i) as { net: TextReading; app: TextReading })[which] })),
    nsmc.map((i) => ({ rating: rows[i].rating as number, targetValence: rows[i].valence, reading: (readings.get(i) as { net: TextReading; app: TextReading })[which] })),
  );
const appFigures = readingsFigures('app');
// The same code on the net's own readings: must give the net's figures (a check that the two paths agree).
const netCheck = readingsFigures('net');
for (const [name, a, b] of [
  ['NSMC sign accuracy', netCheck.nsmc.signAccuracy, chosenCv.nsmc.signAccuracy],
  ['KOTE clear sign agreement', netCheck.kote.clear.signAgreement, chosenCv.kote.clear.signAgreement],
  ['KOTE UAR', netCheck.kote.uar, chosenCv.kote.uar],
  ['valence reliability', netCheck.valenceReliability, chosenCv.valenceReliability],
] as const) {
  if (Math.abs(a - b) > 1e-3) fail(`the net's readings through the app's code give ${name} ${a}, the net's figures ${b}`);
}
// What each feeling-word stem does to the valence sign on the corpora (KOTE clear comments, NSMC reviews rated ≤ 4 or ≥ 7).
const stemsOf = (i: number) => findFeelingWords(tokenise(normaliseText(rows[i].text))).map((w) => w.stem);
const valences = (i: number) => {
  const r = readings.get(i) as { net: TextReading; app: TextReading };
  return { net: r.net.valence, app: r.app.valence };
};
const stemEffectsByCorpus = {
  kote: stemEffects(kote.filter((i) => rows[i].polarity !== null).map((i) => ({ stems: stemsOf(i), sign: rows[i].polarity as 1 | -1, ...valences(i) }))),
  nsmc: stemEffects(
    nsmc
      .filter((i) => (rows[i].rating as number) <= 4 || (rows[i].rating as number) >= 7)
      .map((i) => ({ stems: stemsOf(i), sign: ((rows[i].rating as number) >= 7 ? 1 : -1) as 1 | -1, ...valences(i) })),
  ),
};
const notKorean = { kote: kote.filter((i) => languageOf(rows[i].text) !== 'ko').length, nsmc: nsmc.filter((i) => languageOf(rows[i].text) !== 'ko').length };
const netUnsure = fitUnsureBelow(
  kote
    .filter((i) => rows[i].polarity !== null)
    .map((i) => ({ confidence: Math.max(...softmax(chosenOof.logits[i], temperature)), signRight: Math.sign(chosenOof.valence[i]) === rows[i].polarity })),
);
const unsure = fitUnsureBelow(unsureCandidates(kote.map((i) => ({ polarity: rows[i].polarity, reading: (readings.get(i) as { app: TextReading }).app }))));
const netReliability = textReliability(chosenCv.kote, chosenCv.valenceReliability, MIN_RELIABILITY_SUPPORT);
const reliability = textReliability(appFigures.kote, appFigures.valenceReliability, MIN_RELIABILITY_SUPPORT);
log(
  `app reading (net + feeling words), out of fold: NSMC sign ${appFigures.nsmc.signAccuracy.toFixed(3)} ρ ${appFigures.nsmc.spearman.toFixed(3)} | KOTE clear sign ${appFigures.kote.clear.signAgreement.toFixed(3)} UAR ${appFigures.kote.uar.toFixed(3)} arousal r ${appFigures.kote.arousalR.toFixed(3)} | feeling words in ${(appFigures.feelingWords.kote.share * 100).toFixed(1)} % of KOTE, ${(appFigures.feelingWords.nsmc.share * 100).toFixed(1)} % of NSMC`,
);
log(`temperature ${temperature.toFixed(3)}; unsureBelow ${unsure.threshold} (${(unsure.share * 100).toFixed(1)} % of clear comments below it; the net alone: ${netUnsure.threshold}); reliability valence ${reliability.valence} arousal ${reliability.arousal} (the net alone: ${netReliability.valence}, ${netReliability.arousal})`);

// 6. The final model on every row.
const finalStarted = seconds();
const finalReused = reusable('final-inputs.txt', 'final.json') && readFinalName() === chosen.name;
if (!finalReused) {
  python(['final', join(cache, 'settings.json'), runDir, chosen.name]);
  writeFileSync(join(runDir, 'final-name.txt'), chosen.name);
  writeFileSync(join(runDir, 'final-inputs.txt'), inputHash);
}
timings.final = seconds() - finalStarted;
function readFinalName(): string {
  return existsSync(join(runDir, 'final-name.txt')) ? readFileSync(join(runDir, 'final-name.txt'), 'utf8') : '';
}
const final = JSON.parse(readFileSync(join(runDir, 'final.json'), 'utf8')) as { versions: Record<string, string>; history: unknown[]; seconds: number; seedRowWeight: number; tensors: { name: string; shape: number[] }[]; parameters: number };
if (Math.abs(final.seedRowWeight - seedWeight.final) > 1e-3 * seedWeight.final) fail(`final model: seed row weight ${final.seedRowWeight}, config.ts gives ${seedWeight.final}`);

const features = candidateFeatures(chosen);
const metadataCore: TextModelMetadata = {
  kind: 'norae-text-emotion',
  version: 1,
  languages: ['ko'],
  features,
  classes: [...EMOTIONS],
  embeddingDim: chosen.dim,
  hiddenUnits: chosen.hidden,
  weights: { file: 'weights.bin', dtype: 'float16', tensors: expectedTextTensors({ features, classes: [...EMOTIONS], embeddingDim: chosen.dim, hiddenUnits: chosen.hidden }) },
  temperature: r4(temperature),
  unsureBelow: unsure.threshold,
  reliability,
};
const pythonTensors = final.tensors.map((t) => `${t.name}[${t.shape.join('×')}]`).join(', ');
const contractTensors = metadataCore.weights.tensors.map((t) => `${t.name}[${t.shape.join('×')}]`).join(', ');
if (pythonTensors !== contractTensors) fail(`PyTorch wrote ${pythonTensors}; the contract expects ${contractTensors}`);

mkdirSync(outDir, { recursive: true });
const replacedWeights = existsSync(join(outDir, 'weights.bin')) ? sha256(readFileSync(join(outDir, 'weights.bin'))) : null;
copyFileSync(join(runDir, 'weights.f16'), join(outDir, 'weights.bin'));
const weightBytes = readFileSync(join(outDir, 'weights.bin'));
if (weightBytes.byteLength > WEIGHTS_BUDGET_BYTES) fail(`weights.bin is ${weightBytes.byteLength} bytes, over the ${WEIGHTS_BUDGET_BYTES} budget`);

// Parity: the app's code on the written file against PyTorch's float32 model.
const meta = parseTextModelMetadata(JSON.parse(JSON.stringify(metadataCore)));
const weights = splitTextWeights(meta, new Uint8Array(weightBytes));
const reference = readFloat32Rows(join(runDir, 'parity-f32.f32'), 10);
const referenceF16 = readFloat32Rows(join(runDir, 'parity-f16.f32'), 10);
if (reference.length !== parityTexts.length) fail(`parity outputs for ${reference.length} texts, expected ${parityTexts.length}`);
let parityMax = 0;
let parityMaxF16 = 0;
parityTexts.forEach((text, i) => {
  const out = runTextModel(meta, weights, textFeatureIndices(text, meta.features));
  const ours = [...out.probabilities, out.valence, out.arousal];
  const torchOut = (r: Float32Array) => [...softmax(Array.from(r.subarray(0, 8)), meta.temperature), r[8], r[9]];
  const a = torchOut(reference[i]);
  const b = torchOut(referenceF16[i]);
  ours.forEach((v, j) => {
    parityMax = Math.max(parityMax, Math.abs(v - a[j]));
    parityMaxF16 = Math.max(parityMaxF16, Math.abs(v - b[j]));
  });
});
log(`parity on ${parityTexts.length} texts: max |Δ| ${parityMax.toExponential(2)} against PyTorch float32 (${parityMaxF16.toExponential(2)} against its float16-rounded weights)`);
if (!(parityMax <= PARITY_TOLERANCE)) fail(`runTextModel and PyTorch disagree by ${parityMax} (> ${PARITY_TOLERANCE})`);

// In-sample: the shipped model on the rows it learnt, through the app's arithmetic (a consistency
// check and a measure of how much it memorises — not an accuracy claim), and the time per text.
const insampleStarted = performance.now();
const insample = rows.map((r) => runTextModel(meta, weights, textFeatureIndices(r.text, meta.features)));
const msPerText = (performance.now() - insampleStarted) / rows.length;
const insampleKote = koteFigures(
  kote.map((i) => ({
    target: rows[i].emotion as number[],
    targetValence: rows[i].valence,
    targetArousal: rows[i].arousal as number,
    polarity: rows[i].polarity,
    probabilities: Array.from(insample[i].probabilities),
    valence: insample[i].valence,
    arousal: insample[i].arousal,
  })),
);
const insampleNsmc = ratingFigures(nsmc.map((i) => ({ rating: rows[i].rating as number, valence: insample[i].valence })));
log(`in-sample (memorised, not a result): NSMC sign ${insampleNsmc.signAccuracy.toFixed(3)}, KOTE clear sign ${insampleKote.clear.signAgreement.toFixed(3)}, UAR ${insampleKote.uar.toFixed(3)}; ${msPerText.toFixed(3)} ms per text`);

// 7. Records.
function r4(x: number): number {
  return Number(x.toFixed(4));
}
const round = (x: unknown): unknown =>
  typeof x === 'number' ? r4(x) : Array.isArray(x) ? x.map(round) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)])) : x;
const fingerprint = featureFingerprint(features);
const metadata = {
  ...metadataCore,
  training: {
    note: 'Out-of-fold figures of 5-fold cross-validation (NSMC grouped by movie). They chose the configuration and fitted the temperature, unsureBelow and these reliabilities, so they are not held-out figures. The app reads Korean as the net blended with the feeling words it finds (withFeelingWords): unsureBelow and the reliabilities are fitted on that app reading, rebuilt from the net\'s out-of-fold outputs; the temperature and the choice of configuration on the net alone. The seed phrases (first-person, written by the developers) were trained on in every fold and are in no figure.',
    config: chosen.name,
    data: { kote: kote.length, nsmc: nsmc.length, seed: seedRows.length },
    parameters: final.parameters,
    /** featureFingerprint(features) of src/training/text/parity.ts: which feature code the weights were trained on. */
    featureFingerprint: fingerprint,
  },
  evaluation: {
    nsmc: { signAccuracy: r4(chosenCv.nsmc.signAccuracy), spearman: r4(chosenCv.nsmc.spearman), reviews: nsmc.length },
    kote: {
      clearSignAgreement: r4(chosenCv.kote.clear.signAgreement),
      uar: r4(chosenCv.kote.uar),
      arousalR: r4(chosenCv.kote.arousalR),
      softNll: r4(chosenCv.kote.softNll),
      ece: r4(chosenCv.kote.ece),
      comments: kote.length,
    },
    /** The same figures of what the app reads (net + feeling words), out of fold; what `reliability` and `unsureBelow` come from. */
    appReading: {
      nsmc: { signAccuracy: r4(appFigures.nsmc.signAccuracy), spearman: r4(appFigures.nsmc.spearman), feelingWordShare: r4(appFigures.feelingWords.nsmc.share) },
      kote: {
        clearSignAgreement: r4(appFigures.kote.clear.signAgreement),
        uar: r4(appFigures.kote.uar),
        arousalR: r4(appFigures.kote.arousalR),
        softNll: r4(appFigures.kote.softNll),
        ece: r4(appFigures.kote.ece),
        feelingWordShare: r4(appFigures.feelingWords.kote.share),
      },
      valenceR: r4(appFigures.valenceReliability),
    },
  },
};
writeFileSync(join(outDir, 'metadata.json'), JSON.stringify(metadata, null, 2) + '\n');

// 7. The check list and the seed phrases, read as the app reads them: its own reader on the files just written.
const appReader = TextEmotionReader.fromFiles({ metadata: JSON.parse(readFileSync(join(outDir, 'metadata.json'), 'utf8')) as unknown, weights: new Uint8Array(readFileSync(join(outDir, 'weights.bin'))) });
// The net alone, for comparison: the reader's first step without the feeling words (every check sentence and example is Korean).
const netAlone = (text: string): TextReading => {
  if (languageOf(text) !== 'ko') fail(`"${text}" is not read as Korean`);
  return readingFromModel(meta, runTextModel(meta, weights, textFeatureIndices(text, meta.features)));
};
// The reader must be the net plus the feeling words, nothing else: the app reading rebuilt here must match it.
for (const text of [...checkList.map((c) => c.text), ...CARD_EXAMPLES.map((e) => e.text)]) {
  const rebuilt = withFeelingWords(netAlone(text), findFeelingWords(tokenise(normaliseText(text))));
  const read = appReader.read(text);
  if (Math.abs(rebuilt.valence - read.valence) > 1e-9 || Math.abs(rebuilt.arousal - read.arousal) > 1e-9) fail(`TextEmotionReader reads "${text}" otherwise than the net + feeling words`);
}
const check = runCheckList(checkList, (text) => appReader.read(text));
const checkNet = runCheckList(checkList, netAlone);
const examples = CARD_EXAMPLES.map(({ text, gloss, meant }) => {
  const net = netAlone(text);
  const app = appReader.read(text);
  const shown = (r: TextReading) => {
    const top = EMOTIONS.reduce((a, l) => (r.distribution[l] > r.distribution[a] ? l : a), EMOTIONS[0]);
    return { top, probability: r4(r.distribution[top]), valence: r4(r.valence), arousal: r4(r.arousal), readRight: meant ? passesValence(meant, r.valence) : null };
  };
  return { text, gloss, meant: meant ?? null, features: net.featureCount, ...shown(net), app: { ...shown(app), cues: app.cues } };
});
const seedPhrases = seedManifest.rows.map((r) => ({ text: r.text, labels: r.labels }));
const seedReadings = readSeedPhrases(seedPhrases, (text) => appReader.read(text));
const seedNet = readSeedPhrases(seedPhrases, netAlone);
log(`check list (developers' sentences, not used for any choice), the app's reading: valence signs right ${check.valence.right}/${check.valence.of}, arousal signs right ${check.arousal.right}/${check.arousal.of} (the net alone: ${checkNet.valence.right}/${checkNet.valence.of}, ${checkNet.arousal.right}/${checkNet.arousal.of})`);
for (const c of check.sentences.filter((c) => !c.valencePass || c.arousalPass === false)) {
  log(`  ✗ ${c.text} (expected ${c.expected.valence}${c.expected.arousal}): ${c.top} ${c.probability.toFixed(2)}, valence ${c.valence.toFixed(2)}${c.valencePass ? '' : ' ✗'}, arousal ${c.arousal.toFixed(2)}${c.arousalPass === false ? ' ✗' : ''}; feeling words: ${c.cues.join(', ') || 'none'}`);
}
log(`seed phrases in-sample (trained on them), the app's reading: top emotion = target's ${seedReadings.topRight}/${seedReadings.phrases.length}, valence sign ${seedReadings.valenceSignRight.right}/${seedReadings.valenceSignRight.of}, arousal sign ${seedReadings.arousalSignRight.right}/${seedReadings.arousalSignRight.of} (the net alone: ${seedNet.topRight}, ${seedNet.valenceSignRight.right}, ${seedNet.arousalSignRight.right})`);

// 8. Records.
timings.total = seconds();
const record: TextTrainingRecord = {
  command: recordedCommand('train:text'),
  hardware: '2 cores',
  versions: { node: process.version, ...final.versions },
  data: {
    kote: { manifest: 'kote/manifest.csv', sha256: sha256(koteText), rows: kote.length, clear: chosenCv.kote.clear.count, positive: chosenCv.kote.clear.positive, negative: chosenCv.kote.clear.negative },
    nsmc: { manifest: 'nsmc/manifest.csv', sha256: sha256(nsmcText), rows: nsmc.length, movies },
    seed: { manifest: 'src/training/text/self-reports/seed.csv', sha256: sha256(seedText), rows: seedRows.length, negated: negation.seed },
  },
  folds: {
    count: FOLDS,
    seed,
    grouping: 'NSMC by movie (no movie in two folds), KOTE by comment; each corpus dealt on its own',
    rows: Array.from({ length: FOLDS }, (_, f) => ({ kote: kote.filter((i) => folds[i] === f).length, nsmc: nsmc.filter((i) => folds[i] === f).length })),
    seedRows: 'in every fold\'s training set and in the final model; in no fold\'s test set, so in no out-of-fold figure, calibration, reliability or unsureBelow',
  },
  training: TEXT_TRAINING,
  seedWeight: { share: TEXT_TRAINING.seedLossShare, reason: SEED_LOSS_SHARE_REASON, perRowCv: seedWeight.cv.map(r4), perRowFinal: r4(seedWeight.final) },
  features: featureStats,
  featureFingerprint: fingerprint,
  negation,
  candidates: candidates.map((c) => ({ ...c, weightsBytes: candidateBytes(c), features: candidateFeatures(c) })),
  selectionRule: SELECTION_RULE,
  developmentNote: [...DEVELOPMENT_NOTE],
  cv: Object.fromEntries(candidates.map((c) => [c.name, { ...(round(cv.get(c.name)) as CvFigures), seconds: cvRecord.configs[c.name]?.seconds ?? null, history: cvRecord.configs[c.name]?.folds.map((f) => f.history) }])) as TextTrainingRecord['cv'],
  chosen: chosen.name,
  calibration: {
    temperature: r4(temperature),
    unsure: { rule: { minSignAgreement: UNSURE_RULE.minSignAgreement, minCount: UNSURE_RULE.minCount, grid: `${UNSURE_RULE.grid[0]}…${UNSURE_RULE.grid[UNSURE_RULE.grid.length - 1]} step 0.01` }, ...(round(unsure) as typeof unsure) },
    unsureOn: 'the app reading (net + feeling words) of KOTE clear comments: its top probability, and whether its valence sign is right; a reading with feeling words is never unsure in the app (withFeelingWords), so it never counts as below a threshold',
    unsureNetAlone: round(netUnsure) as typeof netUnsure,
    reliabilityRule: `perEmotion: KOTE out-of-fold recall (argmax of prediction against argmax of target), 0 for an emotion with fewer than ${MIN_RELIABILITY_SUPPORT} comments; valence: Pearson r pooled over KOTE clear comments and NSMC, each corpus weighing half; arousal: Pearson r over every KOTE comment — all of the app reading (net + feeling words), which is what fusion weighs`,
    reliability: { app: reliability, netAlone: netReliability },
  },
  appReading: {
    how: 'For every KOTE comment and NSMC review, the chosen configuration\'s out-of-fold outputs → probabilities softmax(logits / T) with the cross-fitted temperature of the row\'s fold (as the net\'s figures) → readingFromModel → withFeelingWords(…, findFeelingWords(tokenise(normaliseText(text)))), the core\'s own functions (src/training/text/app-reading.ts). Every text goes through the net and the feeling words, as a Korean text does in the app.',
    notKorean: { ...notKorean, note: 'texts languageOf does not call Korean: the app would read them with the English lexicon or not at all; here they are read as Korean, like the net\'s figures' },
    kote: round(appFigures.kote) as KoteFigures,
    nsmc: round(appFigures.nsmc) as RatingFigures,
    valenceReliability: r4(appFigures.valenceReliability),
    feelingWords: round(appFigures.feelingWords) as typeof appFigures.feelingWords,
    stemEffects: stemEffectsByCorpus,
  },
  feelingWords: { stems: feelingStems().map(([stem, names]) => [stem, [...names]]), weights: [1, 2, 3, 4].map(feelingWordsWeight) },
  final: { seconds: final.seconds, parameters: final.parameters, weightsBytes: weightBytes.byteLength, history: final.history },
  weightsSha256: { written: sha256(weightBytes), replaced: replacedWeights },
  inSample: {
    nsmcSignAccuracy: r4(insampleNsmc.signAccuracy),
    nsmcSpearman: r4(insampleNsmc.spearman),
    koteClearSignAgreement: r4(insampleKote.clear.signAgreement),
    koteUar: r4(insampleKote.uar),
    koteArousalR: r4(insampleKote.arousalR),
    msPerText: Number(msPerText.toFixed(4)),
  },
  examples,
  selfReports: {
    note: 'Both lists were written by the developers: not independent data, and small. The check list is read after the final model is written, as the app reads it (net + feeling words) and by the net alone, and is used for no choice of the net. The feeling-word list was made after v2\'s net-alone readings of the check list had been seen (they prompted it), by the same developer, from his own probe sentences and without consulting check.csv: the check is not an independent test of it. The seed phrases are training rows, so their reading is in-sample. No accuracy on real check-in words is measured: no such data is among the shared datasets.',
    check: { file: 'src/training/text/self-reports/check.csv', neutralValenceBelow: 0.35, valence: check.valence, arousal: check.arousal, sentences: check.sentences },
    checkNetAlone: { valence: checkNet.valence, arousal: checkNet.arousal, sentences: checkNet.sentences },
    seedInSample: { topRight: seedReadings.topRight, valenceSignRight: seedReadings.valenceSignRight, arousalSignRight: seedReadings.arousalSignRight, phrases: seedReadings.phrases },
    seedInSampleNetAlone: { topRight: seedNet.topRight, valenceSignRight: seedNet.valenceSignRight, arousalSignRight: seedNet.arousalSignRight },
  },
  parity: { texts: parityTexts.length, tolerance: PARITY_TOLERANCE, maxAbsDifference: Number(parityMax.toExponential(3)), maxAbsDifferenceFloat16Torch: Number(parityMaxF16.toExponential(3)) },
  seconds: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Number(v.toFixed(1))])),
  reusedRun: cvReused || finalReused,
};
writeFileSync(join(outDir, 'training-record.json'), JSON.stringify(record, null, 1) + '\n');
writeFileSync(join(outDir, 'MODEL_CARD.md'), writeTextModelCard(record, metadata));
log(`wrote ${outDir}: weights.bin ${weightBytes.byteLength} bytes, metadata.json, training-record.json, MODEL_CARD.md (${timings.total.toFixed(0)} s in all)`);
