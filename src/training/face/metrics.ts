import { EMOTION_COORDINATES, EMOTIONS, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { classificationReport, expectedCalibrationError, pearson } from '../metrics.ts';

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
  const readings: { confidence: number; correct: boolean }[] = [];
  const vPred: number[] = [];
  const vTrue: number[] = [];
  const aPred: number[] = [];
  const aTrue: number[] = [];
  for (const r of rows) {
    if (r.distribution && r.predicted) {
      withReading++;
      nll -= Math.log(Math.max(1e-7, r.distribution[r.label]));
      readings.push({ confidence: r.distribution[r.predicted], correct: r.predicted === r.label });
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
  const ece = expectedCalibrationError(readings);
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
