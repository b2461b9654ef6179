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
 * used only when it is mature enough (the model's `adaptation.minProfileUtterances`).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NodeAudioDecoder } from './decode-audio.ts';
import { evaluateRows, predictionsCsv } from './evaluate.ts';
import { readManifest } from './manifest.ts';
import { formatConfusion } from '../metrics.ts';
import { SHIPPED_MODEL_DIR, loadSpeechModelFromDisk } from './node-model.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    adapt: { type: 'boolean', default: false },
    model: { type: 'string', default: SHIPPED_MODEL_DIR },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'string' },
  },
});
const manifestPath = positionals[0];
if (!manifestPath || !values.out) {
  console.error('usage: npm run eval:speech -- MANIFEST.csv --out PREDICTIONS.csv [--adapt] [--model DIR] [--backend wasm|cpu] [--json SUMMARY.json]');
  process.exit(2);
}
const backendChoice = values.backend === 'cpu' ? 'cpu' : 'wasm';
const started = performance.now();
const rows = readManifest(manifestPath);
const { predictor, backend } = await loadSpeechModelFromDisk(values.model, backendChoice);
const decoder = new NodeAudioDecoder();
if (values.adapt && rows.every((r) => !r.speaker)) console.warn('--adapt: the manifest has no speaker column; every clip is evaluated cold');
console.log(`model ${predictor.metadata.modelVersion} on tfjs ${backend}; ${rows.length} rows; ${values.adapt ? 'adapted (per-speaker voice profiles)' : 'cold (each clip alone)'}`);
const evaluation = await evaluateRows({ rows, predictor, decoder, adapt: values.adapt, log: (l) => console.log(l) });
writeFileSync(values.out, predictionsCsv(evaluation.rows));
const r = evaluation.report;
console.log(`\nscored ${r.count} clips over ${r.labels.length} emotions the model knows (${r.labels.join(', ')})`);
const present = r.confusion.filter((row) => row.some((n) => n > 0)).length;
const a = evaluation.affect;
console.log(`accuracy ${r.accuracy.toFixed(3)}   UAR ${r.uar.toFixed(3)} over the ${present} emotions present   (chance ${(1 / Math.max(1, present)).toFixed(3)})`);
console.log(`arousal (high vs low) ${a.arousalAccuracy.toFixed(3)} of ${a.arousalCount}   valence (pleasant vs not) ${a.valenceAccuracy.toFixed(3)} of ${a.valenceCount}   ECE ${a.ece.toFixed(3)}`);
console.log(`unsure readings ${(100 * a.unsureShare).toFixed(0)} % (right ${a.accuracyUnsure === null ? '—' : a.accuracyUnsure.toFixed(2)}; the others ${a.accuracySure === null ? '—' : a.accuracySure.toFixed(2)})`);
if (values.adapt) console.log(`adapted with a mature profile of the speaker's other clips: ${evaluation.adaptedCount} of ${evaluation.rows.length - evaluation.errorCount} readings (the rest cold: a profile needs ${predictor.metadata.adaptation.minProfileUtterances} other clip${predictor.metadata.adaptation.minProfileUtterances === 1 ? '' : 's'} of the same speaker)`);
console.log(formatConfusion(r));
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
