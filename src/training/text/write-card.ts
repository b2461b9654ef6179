/**
 * `npx tsx src/training/text/write-card.ts [--out DIR]`
 *
 * Rewrites DIR/MODEL_CARD.md (models/text-emotion) from the training-record.json and
 * metadata.json already there — after a change to model-card.ts's wording, without training
 * again or touching the record of the run. Every figure still comes from that run's record.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TextModelMetadata } from '../../core/text/text-model.ts';
import { writeTextModelCard, type TextTrainingRecord } from './model-card.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: fileURLToPath(new URL('../../../models/text-emotion', import.meta.url)) } } });
const dir = resolve(values.out);
const record = JSON.parse(readFileSync(join(dir, 'training-record.json'), 'utf8')) as TextTrainingRecord;
const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as TextModelMetadata & Record<string, unknown>;
writeFileSync(join(dir, 'MODEL_CARD.md'), writeTextModelCard(record, metadata));
console.log(`wrote ${join(dir, 'MODEL_CARD.md')} from the record of the run already there`);
