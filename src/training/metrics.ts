/**
 * Classification figures over the classes a model knows: accuracy, unweighted average recall
 * (UAR: the mean of per-class recalls, so a rare class counts as much as a common one; chance
 * is 1 / classes) and the confusion matrix (rows: true label, columns: predicted).
 */
export interface ClassificationReport {
  labels: string[];
  /** `confusion[true][predicted]` counts. */
  confusion: number[][];
  recall: number[];
  accuracy: number;
  uar: number;
  count: number;
}

/** Scores `pairs` (true, predicted); pairs whose true label is not in `labels` are skipped. */
export function classificationReport(labels: readonly string[], pairs: readonly { label: string; predicted: string }[]): ClassificationReport {
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  for (const { label, predicted } of pairs) {
    const t = index.get(label);
    const p = index.get(predicted);
    if (t === undefined || p === undefined) continue;
    confusion[t][p]++;
  }
  const rowTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const recall = confusion.map((row, i) => (rowTotals[i] > 0 ? row[i] / rowTotals[i] : 0));
  const present = rowTotals.map((n) => n > 0);
  const count = rowTotals.reduce((a, b) => a + b, 0);
  const correct = confusion.reduce((sum, row, i) => sum + row[i], 0);
  const presentCount = present.filter(Boolean).length;
  return {
    labels: [...labels],
    confusion,
    recall,
    accuracy: count > 0 ? correct / count : 0,
    uar: presentCount > 0 ? recall.reduce((sum, r, i) => sum + (present[i] ? r : 0), 0) / presentCount : 0,
    count,
  };
}

/** The confusion matrix as a fixed-width text table (rows true, columns predicted). */
export function formatConfusion(report: ClassificationReport): string {
  const short = report.labels.map((l) => l.slice(0, 7));
  const width = 9;
  const lines = [`${'true \\ predicted'.padEnd(17)}${short.map((s) => s.padStart(width)).join('')}${'recall'.padStart(width)}`];
  report.confusion.forEach((row, i) => {
    lines.push(`${report.labels[i].padEnd(17)}${row.map((n) => String(n).padStart(width)).join('')}${report.recall[i].toFixed(2).padStart(width)}`);
  });
  return lines.join('\n');
}

/** The confusion matrix as a Markdown table. */
export function markdownConfusion(report: ClassificationReport): string {
  const head = `| true \\ predicted | ${report.labels.join(' | ')} | recall |`;
  const rule = `|---|${report.labels.map(() => '---:').join('|')}|---:|`;
  const rows = report.confusion.map((row, i) => `| ${report.labels[i]} | ${row.join(' | ')} | ${report.recall[i].toFixed(2)} |`);
  return [head, rule, ...rows].join('\n');
}

/** Pearson correlation of `a` and `b` (0 when either is constant or there are fewer than 2 pairs). */
export function pearson(a: readonly number[], b: readonly number[]): number {
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

/**
 * Expected calibration error of top-label probabilities: the readings are put in `bins`
 * equal-width confidence bins; Σ (bin share) × |accuracy − mean confidence|. 0 = calibrated.
 */
export function expectedCalibrationError(readings: readonly { confidence: number; correct: boolean }[], bins = 10): number {
  const totals = Array.from({ length: bins }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const r of readings) {
    const bin = totals[Math.min(bins - 1, Math.floor(r.confidence * bins))];
    bin.n++;
    bin.confidence += r.confidence;
    bin.correct += r.correct ? 1 : 0;
  }
  const n = readings.length;
  return n > 0 ? totals.reduce((s, b) => s + (b.n > 0 ? (b.n / n) * Math.abs(b.confidence / b.n - b.correct / b.n) : 0), 0) : 0;
}
