import { EMOTIONS, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { koteTargets, kotePolarity } from '../../core/text/kote-emotions.ts';
import { ratingValence, type TextManifest } from './corpora.ts';
import { argmax, koteFigures, ratingFigures, type KoteFigures, type RatingFigures } from './metrics.ts';

/** What eval:text needs of a reading (the app's `TextReading`). */
export interface TextReadingLike {
  distribution: Record<EmotionLabel, number>;
  valence: number;
  arousal: number;
  confidence: number;
  unsure?: boolean;
  reader: string;
  featureCount: number;
}

export const PREDICTION_COLUMNS = ['text', 'predicted', ...EMOTIONS.map((l) => `p_${l}`), 'valence', 'arousal', 'confidence', 'unsure', 'reader', 'featureCount'] as const;

export interface TextEvaluation {
  kind: TextManifest['kind'];
  /** One CSV row per manifest row: PREDICTION_COLUMNS, then the manifest's rating or labels. */
  header: string[];
  rows: (string | number)[][];
  /** How many texts each reader read (model, lexicon, none). */
  readers: Record<string, number>;
  unsureShare: number;
  rating?: RatingFigures;
  labels?: KoteFigures;
  /** Labels rows whose names were all unknown to kote-emotions.ts (left out of the figures), and the unknown names. */
  skipped: number;
  unknownNames: string[];
}

/**
 * Reads every text of a manifest with `read` (the app's reader) and scores it: a rating manifest
 * by the sign of valence (≤ 4 vs ≥ 7) and Spearman's ρ; a labels manifest by KOTE's figures
 * (clear-comment sign agreement, UAR against the target's argmax, arousal r, NLL, ECE).
 */
export function evaluateTextManifest(manifest: TextManifest, read: (text: string) => TextReadingLike): TextEvaluation {
  const readers: Record<string, number> = {};
  const out: (string | number)[][] = [];
  const ratingRows: { rating: number; valence: number }[] = [];
  const labelRows: Parameters<typeof koteFigures>[0][number][] = [];
  const unknown = new Set<string>();
  let skipped = 0;
  let unsure = 0;
  for (const row of manifest.rows) {
    const r = read(row.text);
    readers[r.reader] = (readers[r.reader] ?? 0) + 1;
    if (r.unsure) unsure++;
    const probabilities = EMOTIONS.map((l) => r.distribution[l] ?? 0);
    const predicted = EMOTIONS[argmax(probabilities)];
    out.push([
      row.text,
      predicted,
      ...probabilities.map((p) => Number(p.toFixed(5))),
      Number(r.valence.toFixed(5)),
      Number(r.arousal.toFixed(5)),
      Number(r.confidence.toFixed(5)),
      r.unsure ? 1 : 0,
      r.reader,
      r.featureCount,
      manifest.kind === 'rating' ? (row.rating as number) : row.labels.join('|'),
    ]);
    if (manifest.kind === 'rating') ratingRows.push({ rating: row.rating as number, valence: r.valence });
    else {
      const t = koteTargets(row.labels);
      t?.unknown.forEach((u) => unknown.add(u));
      if (!t) {
        skipped++;
        continue;
      }
      labelRows.push({
        target: EMOTIONS.map((l) => t.distribution[l]),
        targetValence: t.point.valence,
        targetArousal: t.point.arousal,
        polarity: kotePolarity(row.labels),
        probabilities,
        valence: r.valence,
        arousal: r.arousal,
      });
    }
  }
  return {
    kind: manifest.kind,
    header: [...PREDICTION_COLUMNS, manifest.kind],
    rows: out,
    readers,
    unsureShare: manifest.rows.length > 0 ? unsure / manifest.rows.length : 0,
    rating: manifest.kind === 'rating' ? ratingFigures(ratingRows) : undefined,
    labels: manifest.kind === 'labels' ? koteFigures(labelRows) : undefined,
    skipped,
    unknownNames: [...unknown],
  };
}

/** The figures as printed lines. */
export function formatTextEvaluation(e: TextEvaluation): string[] {
  const f3 = (x: number) => x.toFixed(3);
  const lines = [`texts ${e.rows.length}; read by ${Object.entries(e.readers).map(([k, v]) => `${k} ${v}`).join(', ')}; unsure ${(e.unsureShare * 100).toFixed(1)} %`];
  if (e.rating) {
    const r = e.rating;
    lines.push(`rating ≤ 4 vs ≥ 7 told apart by the sign of valence: ${f3(r.signAccuracy)} (${r.polarCount} reviews)`);
    lines.push(`Spearman ρ valence vs rating: ${f3(r.spearman)}   Pearson r: ${f3(r.pearson)}   (${r.count} reviews)`);
    lines.push(`mean valence by rating 1…10: ${r.meanValenceByRating.map((v) => (Number.isFinite(v) ? v.toFixed(2) : '—')).join(' ')}`);
    lines.push(`(target valence is (rating − 5.5) / 4.5: ${ratingValence(1)} … ${ratingValence(10)})`);
  }
  if (e.labels) {
    const k = e.labels;
    lines.push(`clear comments (${k.clear.count}: ${k.clear.positive} pleasant, ${k.clear.negative} unpleasant): valence sign agreement ${f3(k.clear.signAgreement)}, valence r ${f3(k.clear.valenceR)}`);
    lines.push(`emotion UAR ${f3(k.uar)}  accuracy ${f3(k.accuracy)}  (argmax vs the target's argmax, ${k.count} comments)`);
    lines.push(`recall: ${EMOTIONS.map((l) => `${l} ${f3(k.recall[l])} (${k.support[l]})`).join(', ')}`);
    lines.push(`arousal r ${f3(k.arousalR)}  valence r (all comments) ${f3(k.valenceR)}`);
    lines.push(`soft-target NLL ${f3(k.softNll)} (targets' entropy ${f3(k.targetEntropy)})  argmax NLL ${f3(k.hardNll)}  ECE ${f3(k.ece)}`);
    if (e.skipped > 0 || e.unknownNames.length > 0) lines.push(`left out: ${e.skipped} rows without a known KOTE name; unknown names: ${e.unknownNames.join(', ') || 'none'}`);
  }
  return lines;
}
