/**
 * `npm run eval:text -- MANIFEST.csv --out PREDICTIONS.csv [--model DIR]`
 *
 * Reads every text of a manifest (a `text` column and either `rating`, 1–10, or `labels`, KOTE
 * names `|`-separated) through the app's own `TextEmotionReader` — Korean by the net in
 * models/text-emotion (or --model DIR), English by the lexicon, anything else not at all, as in
 * the app — writes one row per text
 * (`text,predicted,p_neutral…p_contempt,valence,arousal,confidence,unsure,reader,featureCount`
 * and the manifest's rating or labels) and prints the figures for the manifest's kind:
 * rating — sign accuracy (≤ 4 vs ≥ 7) and Spearman's ρ; labels — clear-comment sign agreement,
 * UAR, arousal r, NLL and ECE.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TextEmotionReader } from '../../adapters/text/text-emotion-reader.ts';
import { formatCsv } from '../music/csv.ts';
import { readTextManifest } from './corpora.ts';
import { evaluateTextManifest, formatTextEvaluation } from './evaluate.ts';

function fail(message: string): never {
  console.error(`eval:text: ${message}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    model: { type: 'string', default: fileURLToPath(new URL('../../../models/text-emotion', import.meta.url)) },
  },
});
const manifestPath = positionals[0] ?? fail('usage: npm run eval:text -- MANIFEST.csv --out PREDICTIONS.csv [--model DIR]');
const outPath = values.out ?? fail('--out PREDICTIONS.csv is required');
const modelDir = resolve(values.model);

let reader: TextEmotionReader;
try {
  reader = TextEmotionReader.fromFiles({
    metadata: JSON.parse(readFileSync(join(modelDir, 'metadata.json'), 'utf8')) as unknown,
    weights: new Uint8Array(readFileSync(join(modelDir, 'weights.bin'))),
  });
} catch (error) {
  fail(`cannot load the model from ${modelDir}: ${(error as Error).message}`);
}
let manifest;
try {
  manifest = readTextManifest(manifestPath);
} catch (error) {
  fail((error as Error).message);
}
const started = performance.now();
const evaluation = evaluateTextManifest(manifest, (text) => reader.read(text));
const ms = performance.now() - started;
writeFileSync(outPath, formatCsv([evaluation.header, ...evaluation.rows]));
console.log(`${manifestPath} (${manifest.kind} manifest), model ${modelDir}`);
for (const line of formatTextEvaluation(evaluation)) console.log(line);
console.log(`${(ms / Math.max(1, evaluation.rows.length)).toFixed(3)} ms per text; wrote ${outPath}`);
