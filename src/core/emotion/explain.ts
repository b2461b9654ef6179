import type { FeatureContribution } from '../library/analysis.ts';

/** The features that pushed a point one way along one axis, strongest first. */
export interface AxisReasons {
  /** +1: towards pleasant/excited; −1: towards unpleasant/calm. */
  direction: 1 | -1;
  features: string[];
}

export interface PlacementExplanation {
  valence: AxisReasons[];
  arousal: AxisReasons[];
}

/**
 * Turns a linear model's per-feature contributions into "why here": for each axis, the
 * features that pushed most strongly each way. Contributions smaller than `minShare` of the
 * axis's total absolute push are left out, so the story stays short and true.
 */
export function explainPlacement(
  contributions: { valence: readonly FeatureContribution[]; arousal: readonly FeatureContribution[] },
  options: { maxPerDirection?: number; minShare?: number } = {},
): PlacementExplanation {
  const maxPerDirection = options.maxPerDirection ?? 2;
  const minShare = options.minShare ?? 0.12;
  const axis = (items: readonly FeatureContribution[]): AxisReasons[] => {
    const finite = items.filter((c) => Number.isFinite(c.value) && c.value !== 0);
    const total = finite.reduce((sum, c) => sum + Math.abs(c.value), 0);
    if (total === 0) return [];
    const strong = finite.filter((c) => Math.abs(c.value) / total >= minShare).sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
    const net = finite.reduce((sum, c) => sum + c.value, 0);
    const groups: AxisReasons[] = [];
    // The side the song actually landed on comes first.
    for (const direction of (net >= 0 ? [1, -1] : [-1, 1]) as Array<1 | -1>) {
      const features = strong.filter((c) => Math.sign(c.value) === direction).slice(0, maxPerDirection).map((c) => c.feature);
      if (features.length > 0) groups.push({ direction, features });
    }
    return groups;
  };
  return { valence: axis(contributions.valence), arousal: axis(contributions.arousal) };
}
