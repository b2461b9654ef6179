/**
 * CI gate for the shipped speech-emotion model: `npx tsx src/training/speech/ci-check.ts [DATA_DIR]`
 * (DATA_DIR defaults to ../shared/datasets/speech, or $NORAE_SPEECH_DATA; the model to
 * $NORAE_SPEECH_MODEL_DIR or models/speech-emotion).
 *
 * When the datasets are present, evaluates the shipped model (the app's loader and feature
 * code, tfjs wasm backend) on the held-out RAVDESS actors recorded in metadata.json — actors the
 * model never trained on — and exits 1 if cold or adapted UAR falls more than 0.03 below the
 * figures the model card states (metadata.json `training.heldOut`). Without the datasets it says
 * so and exits 0: the app must build and test without them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NodeAudioDecoder } from './decode-audio.ts';
import { evaluateRows } from './evaluate.ts';
import { readManifest } from './manifest.ts';
import { formatConfusion } from '../metrics.ts';
import { SHIPPED_MODEL_DIR, loadSpeechModelFromDisk } from './node-model.ts';
import { ravdessActor } from './config.ts';

/** How far below the model card's figure UAR may fall before CI fails. */
const TOLERANCE = 0.03;

interface HeldOutRecord {
  heldOutActors: number[];
  heldOut: { cold: { uar: number }; adapted: { uar: number } };
}

const dataDir = resolve(process.argv[2] ?? process.env.NORAE_SPEECH_DATA ?? '../shared/datasets/speech');
const manifestPath = join(dataDir, 'ravdess', 'manifest.csv');
if (!existsSync(manifestPath)) {
  console.log(`speech-emotion CI check: ${manifestPath} not found — datasets absent, check skipped.`);
  process.exit(0);
}
const started = performance.now();
const { predictor, backend } = await loadSpeechModelFromDisk(process.env.NORAE_SPEECH_MODEL_DIR ?? SHIPPED_MODEL_DIR, 'wasm');
const record = predictor.metadata.training as unknown as HeldOutRecord | undefined;
if (!record?.heldOut || !Array.isArray(record.heldOutActors)) {
  console.error('speech-emotion CI check: metadata.json has no training.heldOut figures to check against');
  process.exit(1);
}
const rows = readManifest(manifestPath).filter((r) => record.heldOutActors.includes(ravdessActor(r.speaker) ?? -1));
const decoder = new NodeAudioDecoder();
let failed = false;
for (const mode of ['cold', 'adapted'] as const) {
  const evaluation = await evaluateRows({ rows, predictor, decoder, adapt: mode === 'adapted' });
  const expected = record.heldOut[mode].uar;
  const uar = evaluation.report.uar;
  const ok = uar >= expected - TOLERANCE && evaluation.errorCount === 0;
  failed ||= !ok;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${mode}: UAR ${uar.toFixed(3)} on held-out actors ${record.heldOutActors.join(', ')} (${evaluation.report.count} clips; model card ${expected.toFixed(3)}, floor ${(expected - TOLERANCE).toFixed(3)}; ${evaluation.errorCount} errors)`,
  );
  if (!ok) console.log(formatConfusion(evaluation.report));
}
decoder.free();
predictor.dispose();
console.log(`speech-emotion CI check on tfjs ${backend}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
