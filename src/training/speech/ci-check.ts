/**
 * CI gate for the shipped speech-emotion model: `npx tsx src/training/speech/ci-check.ts [DATA_DIR]`
 * (DATA_DIR defaults to ../shared/datasets/speech, or $NORAE_SPEECH_DATA; the model to
 * $NORAE_SPEECH_MODEL_DIR or models/speech-emotion; the floors to $NORAE_SPEECH_FLOOR or
 * .ci/speech-emotion-floor.json).
 *
 * The floors live in a checked-in file that people change on purpose — training never writes
 * it, so a retrained model cannot lower its own bar. For every corpus the file names, the
 * shipped model reads the corpus through the app's loader and feature code (tfjs wasm), cold
 * and adapted (each clip with a profile of its speaker's other clips), and the check fails if
 * UAR or arousal accuracy falls below the floor, or a clip fails to read. The shipped model was
 * trained on these corpora: this guards the app's reading of the model (features, loader,
 * normalisation, profiles) against regressions; it is not an accuracy claim (the model card's
 * cross-validation is). Without the datasets it says so and exits 0: the app must build and
 * test without them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NodeAudioDecoder } from './decode-audio.ts';
import { evaluateRows } from './evaluate.ts';
import { readManifest } from './manifest.ts';
import { formatConfusion } from '../metrics.ts';
import type { AnalysedUtterance } from '../../adapters/ml/speech-emotion-model.ts';
import { SHIPPED_MODEL_DIR, loadSpeechModelFromDisk } from './node-model.ts';

interface Floor {
  uar: number;
  arousalAccuracy: number;
}

interface FloorFile {
  corpora: Record<string, { cold: Floor; adapted: Floor }>;
}

const dataDir = resolve(process.argv[2] ?? process.env.NORAE_SPEECH_DATA ?? '../shared/datasets/speech');
const floorPath = resolve(process.env.NORAE_SPEECH_FLOOR ?? '.ci/speech-emotion-floor.json');
const floors = JSON.parse(readFileSync(floorPath, 'utf8')) as FloorFile;
const missing = Object.keys(floors.corpora).filter((corpus) => !existsSync(join(dataDir, corpus, 'manifest.csv')));
if (missing.length === Object.keys(floors.corpora).length) {
  console.log(`speech-emotion CI check: no corpus of ${floorPath} under ${dataDir} — datasets absent, check skipped.`);
  process.exit(0);
}
if (missing.length > 0) {
  console.error(`speech-emotion CI check: ${missing.join(', ')} missing under ${dataDir} (the floor file names them)`);
  process.exit(1);
}
const started = performance.now();
const { predictor, backend } = await loadSpeechModelFromDisk(process.env.NORAE_SPEECH_MODEL_DIR ?? SHIPPED_MODEL_DIR, 'wasm');
const decoder = new NodeAudioDecoder();
let failed = false;
for (const [corpus, modes] of Object.entries(floors.corpora)) {
  const rows = readManifest(join(dataDir, corpus, 'manifest.csv'));
  // Each clip is decoded and analysed once, then read cold and adapted.
  const analysedCache = new Map<string, AnalysedUtterance>();
  for (const mode of ['cold', 'adapted'] as const) {
    const evaluation = await evaluateRows({ rows, predictor, decoder, adapt: mode === 'adapted', analysedCache });
    const floor = modes[mode];
    const { uar } = evaluation.report;
    const { arousalAccuracy } = evaluation.affect;
    const ok = uar >= floor.uar && arousalAccuracy >= floor.arousalAccuracy && evaluation.errorCount === 0;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${corpus} ${mode}: UAR ${uar.toFixed(3)} (floor ${floor.uar.toFixed(3)}), arousal ${arousalAccuracy.toFixed(3)} (floor ${floor.arousalAccuracy.toFixed(3)}); ${evaluation.report.count} clips, ${evaluation.errorCount} errors`,
    );
    if (!ok) console.log(formatConfusion(evaluation.report));
  }
}
decoder.free();
predictor.dispose();
console.log(`speech-emotion CI check on tfjs ${backend}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
