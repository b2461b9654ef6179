import { EMOTION_COORDINATES, EMOTIONS, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { classificationReport } from '../metrics.ts';

/**
 * Figures for a face evaluation. Labels are our eight words; a row without a prediction (no
 * face found, unreadable file) counts as wrong — it is a miss the user would see.
 */
export interface FaceEvalRow {
  label: EmotionLabel;
  /** Null when the image gave no reading. */
  predicted: EmotionLabel | null;
  /** Probabilities over our eight labels (null without a reading). */
  distribution: Record<EmotionLabel, number> | null;
  valence: number | null;
  arousal: number | null;
}

export interface FaceMetrics {
  count: number;
  /** Labels present among the true labels, in EMOTIONS order. */
  labels: EmotionLabel[];
  accuracy: number;
  /** Unweighted average recall over the present labels (chance = 1 / labels). */
  uar: number;
  recall: Record<string, number>;
  /** confusion[true][predicted], with a 'none' column for rows without a reading. */
  confusion: Record<string, Record<string, number>>;
  /** Mean −ln p(true label) over rows with a reading (probability floored at 1e-7). */
  meanNll: number;
  /** Expected calibration error of the top probability, 10 equal-width bins, rows with a reading. */
  ece: number;
  /** Pearson correlation of predicted valence/arousal with the true label's circumplex point. */
  valenceCorrelation: number;
  arousalCorrelation: number;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n < 2) return 0;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Computes {@link FaceMetrics}. */
export function faceMetrics(rows: readonly FaceEvalRow[]): FaceMetrics {
  const labels = EMOTIONS.filter((l) => rows.some((r) => r.label === l));
  // The shared report, with a 'none' column: a row without a reading is a miss, never skipped.
  const columns = [...EMOTIONS, 'none'];
  const report = classificationReport(
    columns,
    rows.map((r) => ({ label: r.label, predicted: r.predicted ?? 'none' })),
  );
  let nll = 0;
  let withReading = 0;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  const vPred: number[] = [];
  const vTrue: number[] = [];
  const aPred: number[] = [];
  const aTrue: number[] = [];
  for (const r of rows) {
    if (r.distribution && r.predicted) {
      withReading++;
      nll -= Math.log(Math.max(1e-7, r.distribution[r.label]));
      const confidence = r.distribution[r.predicted];
      const bin = bins[Math.min(9, Math.floor(confidence * 10))];
      bin.n++;
      bin.confidence += confidence;
      bin.correct += r.predicted === r.label ? 1 : 0;
    }
    if (r.valence !== null && r.arousal !== null) {
      vPred.push(r.valence);
      aPred.push(r.arousal);
      vTrue.push(EMOTION_COORDINATES[r.label].valence);
      aTrue.push(EMOTION_COORDINATES[r.label].arousal);
    }
  }
  const recall: Record<string, number> = {};
  const confusion: Record<string, Record<string, number>> = {};
  for (const l of labels) {
    const i = columns.indexOf(l);
    recall[l] = report.recall[i];
    confusion[l] = Object.fromEntries(columns.map((p, j) => [p, report.confusion[i][j]]));
  }
  const ece = withReading > 0 ? bins.reduce((s, b) => s + (b.n > 0 ? (b.n / withReading) * Math.abs(b.confidence / b.n - b.correct / b.n) : 0), 0) : 0;
  return {
    count: rows.length,
    labels,
    accuracy: report.accuracy,
    uar: report.uar,
    recall,
    confusion,
    meanNll: withReading > 0 ? nll / withReading : NaN,
    ece,
    valenceCorrelation: pearson(vPred, vTrue),
    arousalCorrelation: pearson(aPred, aTrue),
  };
}
