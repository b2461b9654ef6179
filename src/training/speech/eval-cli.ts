/**
 * `npm run eval:speech -- MANIFEST.csv --out PREDICTIONS.csv [--adapt] [--model DIR] [--backend wasm|cpu] [--json SUMMARY.json]`
 *
 * Evaluates any speech manifest (columns `file`, `label`, optional `speaker`; labels as our
 * eight emotion words, others are reported but not scored) with the SHIPPED model, through the
 * app's feature code and tfjs loader. Writes
 * `file,label,predicted,p_<emotion>…,valence,arousal,confidence,unsure,adapted,profile_utterances,error`
 * and prints accuracy, UAR and the confusion matrix over the emotions the model knows, the
 * arousal and valence accuracy of its valence/arousal outputs, and calibration (ECE).
 * `--adapt`: each clip is read with a profile of its speaker's *other* clips (never itself),
 * built as the app builds it — each clip weighted by its own cold reading (the model's
 * `adaptation.profileWeighting`) — and used only when it is mature enough (the model's
 * `adaptation.minProfileUtterances`, on the weighted count).
 * `--profile one-emotion` (with `--adapt`): profiles of the speaker's other clips of a single
 * emotion instead (2 seeded draws per clip, `--seed N`), as cross-validation measures them; the
 * CSV gets a `profile_emotion` column, and UAR is also printed for draws whose profile emotion is
 * the clip's own and for the others.
 * `--personal K[,K…]`: also reads each clip with a personal calibration fitted on K *other*
 * labelled clips of the same speaker (seeded draws, mean over `--personal-draws`, 5; never the clip
 * itself), through the app's `fitPersonalCalibration` and its leave-one-out check, on top of the
 * readings above (cold, or adapted with `--adapt`, as the app would); printed as UAR / arousal /
 * valence per K for label answers (the emotion named) and tap answers (a tap at its point).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NodeAudioDecoder } from './decode-audio.ts';
import { evaluateRows, predictionsCsv, type ProfileMakeUp } from './evaluate.ts';
import { profileWeightingOf } from '../../core/speech/voice-profile.ts';
import { readManifest } from './manifest.ts';
import { classificationReport, formatConfusion } from '../metrics.ts';
import { SHIPPED_MODEL_DIR, loadSpeechModelFromDisk } from './node-model.ts';
import { EMOTIONS } from '../../core/emotion/emotions.ts';
import { personalCurve } from '../personal-eval.ts';
import { AFFECT_TARGETS, SPEECH_LABELS } from './config.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    adapt: { type: 'boolean', default: false },
    model: { type: 'string', default: SHIPPED_MODEL_DIR },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'string' },
    profile: { type: 'string', default: 'all' },
    seed: { type: 'string', default: '20240601' },
    personal: { type: 'string' },
    'personal-draws': { type: 'string', default: '5' },
  },
});
const manifestPath = positionals[0];
if (!manifestPath || !values.out) {
  console.error('usage: npm run eval:speech -- MANIFEST.csv --out PREDICTIONS.csv [--adapt [--profile all|one-emotion] [--seed N]] [--personal K[,K…]] [--model DIR] [--backend wasm|cpu] [--json SUMMARY.json]');
  process.exit(2);
}
if (values.profile !== 'all' && values.profile !== 'one-emotion') {
  console.error(`--profile must be "all" or "one-emotion", not ${JSON.stringify(values.profile)}`);
  process.exit(2);
}
const profileMakeUp: ProfileMakeUp = values.profile;
const backendChoice = values.backend === 'cpu' ? 'cpu' : 'wasm';
const started = performance.now();
const rows = readManifest(manifestPath);
const { predictor, backend } = await loadSpeechModelFromDisk(values.model, backendChoice);
const decoder = new NodeAudioDecoder();
if (values.adapt && rows.every((r) => !r.speaker)) console.warn('--adapt: the manifest has no speaker column; every clip is evaluated cold');
console.log(
  `model ${predictor.metadata.modelVersion} on tfjs ${backend}; ${rows.length} rows; ${values.adapt ? `adapted (per-speaker voice profiles of ${profileMakeUp === 'one-emotion' ? 'one other emotion, 2 draws per clip' : 'all other clips'}; weighting ${JSON.stringify(profileWeightingOf(predictor.metadata))})` : 'cold (each clip alone)'}`,
);
const evaluation = await evaluateRows({ rows, predictor, decoder, adapt: values.adapt, profile: profileMakeUp, seed: Number(values.seed), log: (l) => console.log(l) });
writeFileSync(values.out, predictionsCsv(evaluation.rows));
const r = evaluation.report;
console.log(`\nscored ${r.count} clips over ${r.labels.length} emotions the model knows (${r.labels.join(', ')})`);
const present = r.confusion.filter((row) => row.some((n) => n > 0)).length;
const a = evaluation.affect;
console.log(`accuracy ${r.accuracy.toFixed(3)}   UAR ${r.uar.toFixed(3)} over the ${present} emotions present   (chance ${(1 / Math.max(1, present)).toFixed(3)})`);
console.log(`arousal (high vs low) ${a.arousalAccuracy.toFixed(3)} of ${a.arousalCount}   valence (pleasant vs not) ${a.valenceAccuracy.toFixed(3)} of ${a.valenceCount}   ECE ${a.ece.toFixed(3)}`);
console.log(`unsure readings ${(100 * a.unsureShare).toFixed(0)} % (right ${a.accuracyUnsure === null ? '—' : a.accuracyUnsure.toFixed(2)}; the others ${a.accuracySure === null ? '—' : a.accuracySure.toFixed(2)})`);
if (values.adapt) console.log(`adapted with a mature profile of the speaker's other clips: ${evaluation.adaptedCount} of ${evaluation.rows.length - evaluation.errorCount} readings (the rest cold: a profile needs ${predictor.metadata.adaptation.minProfileUtterances} other clip${predictor.metadata.adaptation.minProfileUtterances === 1 ? '' : 's'} of the same speaker${profileWeightingOf(predictor.metadata).kind === 'none' ? '' : ', counted with their profile weights'})`);
console.log(formatConfusion(r));
if (values.adapt && profileMakeUp === 'one-emotion') {
  const known = new Set<string>(predictor.recognisedLabels);
  const drawn = evaluation.rows.filter((row) => !row.error && known.has(row.label) && row.profileEmotion !== undefined);
  for (const [name, subset] of [['profile emotion = the clip\'s', drawn.filter((row) => row.profileEmotion === row.label)], ['profile emotion ≠ the clip\'s', drawn.filter((row) => row.profileEmotion !== row.label)]] as const) {
    if (subset.length > 0) console.log(`${name}: ${subset.length} readings, UAR ${classificationReport(predictor.recognisedLabels, subset).uar.toFixed(3)}`);
  }
}
for (const [label, count] of Object.entries(evaluation.skippedLabels)) {
  console.log(`not scored: ${count} × "${label}" (not a label this model outputs); predicted as ${JSON.stringify(evaluation.skippedPredictions[label] ?? {})}`);
}
if (evaluation.errorCount > 0) {
  console.log(`${evaluation.errorCount} file(s) could not be evaluated (error rows in ${values.out}):`);
  for (const row of evaluation.rows.filter((x) => x.error).slice(0, 10)) console.log(`  ${row.file}: ${row.error}`);
}
console.log(`mean ${evaluation.meanMilliseconds.toFixed(1)} ms per clip (features + model), total ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (values.json) {
  writeFileSync(values.json, JSON.stringify({ manifest: manifestPath, backend, modelVersion: predictor.metadata.modelVersion, adapted: values.adapt, report: r, affect: evaluation.affect, adaptedCount: evaluation.adaptedCount, skippedLabels: evaluation.skippedLabels, errorCount: evaluation.errorCount, meanMilliseconds: evaluation.meanMilliseconds }, null, 2));
}
decoder.free();
predictor.dispose();

if (values.personal) {
  const ks = values.personal.split(',').map(Number);
  if (ks.some((k) => !(Number.isInteger(k) && k > 0))) {
    console.error(`--personal takes whole numbers above 0, not ${values.personal}`);
    process.exit(2);
  }
  // Each clip once (one-emotion profiles read a clip twice: the first draw counts here).
  const seen = new Set<string>();
  const items = evaluation.rows.flatMap((row) => {
    if (row.error || !row.speaker || seen.has(row.file)) return [];
    seen.add(row.file);
    return [{ group: row.speaker, label: row.label, probabilities: SPEECH_LABELS.map((l) => row.probabilities[EMOTIONS.indexOf(l)]), valence: row.valence, arousal: row.arousal }];
  });
  if (items.length === 0) console.log('\n--personal: the manifest has no speaker column: nothing to calibrate per person');
  for (const answers of ['label', 'tap'] as const) {
    const curve = personalCurve(items, { labels: SPEECH_LABELS, affectTargets: AFFECT_TARGETS, ks, draws: Number(values['personal-draws']), seed: Number(values.seed), answers });
    console.log(`\npersonal calibration (answers: ${answers}), K other clips of the same speaker${values.adapt ? ', on adapted readings' : ', on cold readings'}:`);
    for (const p of curve) console.log(`  K=${p.k}  clips ${p.count}  UAR ${p.uar.toFixed(3)}  arousal ${p.arousal.toFixed(3)}  valence ${p.valence.toFixed(3)}${p.k > 0 ? `  (switched on for ${(100 * p.activeShare).toFixed(0)} %)` : ''}`);
  }
}
