import { mulberry32 } from '../music/cross-validation.ts';

/**
 * Stratified, grouped k-fold assignment: all items of a group (one subject; FER2013 has no
 * subject ids, so each image is its own group) share a fold, and each label's groups are dealt
 * round-robin after a seeded shuffle, so every fold holds about 1/k of every label.
 * Returns each item's fold in [0, foldCount).
 */
export function stratifiedGroupFolds(labels: readonly string[], groups: readonly string[], foldCount: number, seed: number): number[] {
  if (labels.length !== groups.length) throw new RangeError('labels and groups differ in length');
  if (!(foldCount >= 2)) throw new RangeError('need at least 2 folds');
  const random = mulberry32(seed);
  // A group's label for stratification: its most frequent label.
  const groupItems = new Map<string, number[]>();
  groups.forEach((g, i) => groupItems.set(g, [...(groupItems.get(g) ?? []), i]));
  const byLabel = new Map<string, string[]>();
  for (const [g, items] of groupItems) {
    const counts = new Map<string, number>();
    for (const i of items) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
    const label = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    byLabel.set(label, [...(byLabel.get(label) ?? []), g]);
  }
  const fold = new Array<number>(labels.length).fill(0);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const list = byLabel.get(label) ?? [];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    for (const g of list) {
      for (const i of groupItems.get(g) ?? []) fold[i] = next;
      next = (next + 1) % foldCount;
    }
  }
  return fold;
}
