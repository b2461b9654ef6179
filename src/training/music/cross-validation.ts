import { mulberry32 } from '../../core/random.ts';
/**
 * Group-aware folds: every group (artist) lands in exactly one fold, so no artist is ever in
 * both the training and the test part. Groups are shuffled with a seeded generator and dealt
 * greedily to the currently smallest fold, which keeps fold sizes within one group's size.
 */
export { mulberry32 };

/** Returns, for each item, its fold index in [0, foldCount). */
export function groupKFold(groups: readonly string[], foldCount: number, seed: number): number[] {
  const random = mulberry32(seed);
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = members.get(g) ?? [];
    list.push(i);
    members.set(g, list);
  });
  const keys = [...members.keys()];
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  // Largest groups first so the greedy deal balances well; ties keep the shuffled order.
  keys.sort((a, b) => (members.get(b)?.length ?? 0) - (members.get(a)?.length ?? 0));
  const sizes = new Array<number>(foldCount).fill(0);
  const fold = new Array<number>(groups.length).fill(0);
  for (const key of keys) {
    let smallest = 0;
    for (let f = 1; f < foldCount; f++) if (sizes[f] < sizes[smallest]) smallest = f;
    for (const i of members.get(key) ?? []) fold[i] = smallest;
    sizes[smallest] += members.get(key)?.length ?? 0;
  }
  return fold;
}

/** Mean and (population) standard deviation. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length);
  return { mean, std: Math.sqrt(variance) };
}

/** Linear-interpolated quantile of unsorted values (q in [0, 1]). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}
