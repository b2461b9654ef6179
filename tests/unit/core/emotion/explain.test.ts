import { describe, expect, it } from 'vitest';
import { explainPlacement } from '../../../../src/core/emotion/explain.ts';

describe('explainPlacement', () => {
  it('names the strongest pushes on each axis, the winning side first', () => {
    const explanation = explainPlacement({
      valence: [
        { feature: 'majorMode', value: 0.9 },
        { feature: 'brightness', value: 0.4 },
        { feature: 'dissonance', value: -0.5 },
        { feature: 'tiny', value: 0.01 },
      ],
      arousal: [
        { feature: 'tempo', value: -0.2 },
        { feature: 'loudness', value: -0.7 },
        { feature: 'onsetRate', value: 0.1 },
      ],
    });
    expect(explanation.valence).toEqual([
      { direction: 1, features: ['majorMode', 'brightness'] },
      { direction: -1, features: ['dissonance'] },
    ]);
    expect(explanation.arousal).toEqual([{ direction: -1, features: ['loudness', 'tempo'] }]);
  });

  it('says nothing when nothing pushes', () => {
    expect(explainPlacement({ valence: [], arousal: [{ feature: 'x', value: 0 }, { feature: 'y', value: Number.NaN }] })).toEqual({
      valence: [],
      arousal: [],
    });
  });
});
