/**
 * `npm run eval:music -- MANIFEST.csv --out PREDICTIONS.csv [--model model.json]`
 *
 * Runs the app's own analysis (`analyseBlobExcerpts`: the excerpts the app analyses — a 30-s
 * clip whole, a song's three 30-s excerpts — wasm decode → analyser → shipped model) on every
 * file of a manifest (`file` relative to the manifest; optional `quadrant`,
 * `valence_sign`, `arousal_sign`), prints quadrant / valence-sign / arousal-sign accuracy when
 * labels exist, and writes one row per file. A file that fails gets a row with its error and
 * the run carries on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyseBlobExcerpts } from '../../adapters/audio/analyse-excerpts.ts';
import { parseMusicEmotionModel } from '../../core/music/emotion-model.ts';
import { formatCsv } from './csv.ts';
import { quadrantOf, readManifest } from './dataset.ts';

const HEADER = ['file', 'valence', 'arousal', 'mood', 'intensity', 'bpm', 'quadrant_pred', 'quadrant', 'valence_sign', 'arousal_sign', 'duration_s', 'analysed_s', 'excerpts', 'seconds', 'error'];

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, model: { type: 'string' } } });
  const manifest = positionals[0];
  if (!manifest || !values.out) throw new Error('usage: npm run eval:music -- MANIFEST.csv --out PREDICTIONS.csv [--model model.json]');
  const model = values.model ? parseMusicEmotionModel(JSON.parse(readFileSync(values.model, 'utf8'))) : undefined;
  const entries = readManifest(manifest);
  const rows: Array<Array<string | number>> = [HEADER];
  let labelled = 0;
  let quadrantHits = 0;
  let valenceHits = 0;
  let arousalHits = 0;
  let failures = 0;
  let audioSeconds = 0;
  let wallMs = 0;
  const stageMs = { decodeMs: 0, resampleMs: 0, featuresMs: 0, tempoMs: 0 };
  for (const [i, entry] of entries.entries()) {
    const started = performance.now();
    const labels = [entry.quadrant ?? '', entry.valenceSign ?? '', entry.arousalSign ?? ''];
    try {
      const file = new Blob([readFileSync(entry.absolutePath)]);
      const { features, emotion, timings, excerpts } = await analyseBlobExcerpts(file, { formatHint: entry.file.split('.').pop(), model });
      for (const key of Object.keys(stageMs) as Array<keyof typeof stageMs>) stageMs[key] += timings[key];
      const seconds = (performance.now() - started) / 1000;
      audioSeconds += features.durationSeconds;
      wallMs += seconds * 1000;
      const predicted = quadrantOf(emotion.valence, emotion.arousal);
      rows.push([entry.file, emotion.valence.toFixed(4), emotion.arousal.toFixed(4), emotion.mood, emotion.intensity.toFixed(4), features.tempoBpm.toFixed(2), predicted, ...labels, features.durationSeconds.toFixed(2), features.analysedSeconds.toFixed(2), excerpts.map((e) => e.startSeconds.toFixed(1)).join(' '), seconds.toFixed(3), '']);
      if (entry.valenceSign !== undefined && entry.arousalSign !== undefined) {
        labelled++;
        const v = (emotion.valence >= 0 ? 1 : -1) === entry.valenceSign;
        const a = (emotion.arousal >= 0 ? 1 : -1) === entry.arousalSign;
        valenceHits += v ? 1 : 0;
        arousalHits += a ? 1 : 0;
        quadrantHits += v && a ? 1 : 0;
      }
    } catch (error) {
      failures++;
      const message = error instanceof Error ? `${error.name}${'code' in error ? ` ${String(error.code)}` : ''}: ${error.message}` : String(error);
      rows.push([entry.file, '', '', '', '', '', '', ...labels, '', '', '', ((performance.now() - started) / 1000).toFixed(3), message]);
      console.error(`${entry.file}: ${message}`);
    }
    if ((i + 1) % 25 === 0) console.log(`${i + 1}/${entries.length}`);
  }
  writeFileSync(resolve(values.out), formatCsv(rows));
  console.log(`${entries.length} files, ${failures} failed; ${audioSeconds.toFixed(0)} s of audio in ${(wallMs / 1000).toFixed(1)} s wall, file reading included (${(audioSeconds / (wallMs / 1000)).toFixed(0)}× real time)`);
  const stages = Object.entries(stageMs).map(([k, ms]) => `${k.replace('Ms', '')} ${(ms / 1000).toFixed(2)} s (${(audioSeconds / (ms / 1000)).toFixed(0)}×)`);
  const totalMs = Object.values(stageMs).reduce((a, b) => a + b, 0);
  console.log(`per stage: ${stages.join(', ')}; all stages ${(totalMs / 1000).toFixed(2)} s (${(audioSeconds / (totalMs / 1000)).toFixed(0)}× real time)`);
  if (labelled > 0) {
    console.log(`labelled: ${labelled}; quadrant accuracy ${(quadrantHits / labelled).toFixed(3)}, valence-sign ${(valenceHits / labelled).toFixed(3)}, arousal-sign ${(arousalHits / labelled).toFixed(3)}`);
  }
  console.log(`wrote ${values.out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
