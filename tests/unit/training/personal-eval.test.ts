import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSONAL_OPTIONS } from '../../../src/core/emotion/personal-calibration.ts';
import { mulberry32 } from '../../../src/core/random.ts';
import { personalCurve, type PersonalEvalItem } from '../../../src/training/personal-eval.ts';

const LABELS = ['neutral', 'happy', 'sad'];
const TARGETS = { neutral: [0, -0.25], happy: [0.7, 0.45], sad: [-0.6, -0.45] } as const;

/** Speakers whose sad clips the net reads as neutral (each its own way), happy ones right. */
function speakers(count: number): PersonalEvalItem[] {
  const rnd = mulberry32(5);
  const items: PersonalEvalItem[] = [];
  for (let s = 0; s < count; s++) {
    const shift = 0.2 * (rnd() - 0.5);
    for (let i = 0; i < 12; i++) {
      const label = LABELS[i % 3];
      const looksNeutral = label !== 'happy';
      const probabilities = looksNeutral ? [0.6, 0.1, 0.3] : [0.2, 0.7, 0.1];
      const v = label === 'happy' ? 0.6 : label === 'sad' ? -0.05 + shift : 0.1 + shift;
      const a = label === 'happy' ? 0.4 : label === 'sad' ? -0.3 : -0.2;
      items.push({ group: `s${s}`, label, probabilities: probabilities.map((p) => p + 0.02 * rnd()), valence: v + 0.02 * rnd(), arousal: a });
    }
  }
  return items;
}

describe('personalCurve', () => {
  it('K other clips of the same speaker: never the clip itself, off at K = 1, and it helps where readings are systematically off', () => {
    const curve = personalCurve(speakers(6), { labels: LABELS, affectTargets: TARGETS, ks: [1, 2, 4, 8], draws: 3, seed: 1, answers: 'label' });
    expect(curve.map((p) => p.k)).toEqual([0, 1, 2, 4, 8]);
    expect(curve[1]).toMatchObject({ uar: curve[0].uar, activeShare: 0 });
    expect(curve[4].count).toBe(72);
    // The net cannot tell these speakers' neutral from sad; their answers cannot either (the readings
    // are alike) — but valence, which is off for sad clips, moves toward it.
    expect(curve[4].valence).toBeGreaterThanOrEqual(curve[0].valence);
    expect(curve[4].activeShare).toBeGreaterThan(0.5);
  });
});

describe('the shipped personal calibration settings', () => {
  it('are the ones the voice model card says the rule chose', () => {
    const record = JSON.parse(readFileSync(new URL('../../../models/speech-emotion/training-record.json', import.meta.url), 'utf8')) as { personal?: { chosen: string | null; candidates: Record<string, Record<string, unknown>> } };
    const chosen = record.personal?.chosen;
    expect(chosen).toBeTruthy();
    const settings = record.personal?.candidates[chosen as string] ?? {};
    for (const [key, value] of Object.entries(settings)) expect(DEFAULT_PERSONAL_OPTIONS[key as keyof typeof DEFAULT_PERSONAL_OPTIONS]).toBe(value);
  });
});
