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
