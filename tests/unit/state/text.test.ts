import { describe, expect, it, vi } from 'vitest';
import { normaliseDistribution } from '../../../src/core/emotion/emotions.ts';
import type { TextReading } from '../../../src/core/text/text-reading.ts';
import { TextState } from '../../../src/state/text.svelte.ts';

const reading = (valence: number): TextReading => ({
  distribution: normaliseDistribution({ happy: valence > 0 ? 0.8 : 0.1, sad: valence > 0 ? 0.1 : 0.8 }),
  valence,
  arousal: 0,
  confidence: 0.8,
  unsure: false,
  language: 'ko',
  reader: 'model',
  featureCount: 10,
  reliability: { perEmotion: {}, valence: 0.7, arousal: 0.5 },
  cues: [],
});

describe('TextState', () => {
  it('reads the words as they are typed, loading the model once', async () => {
    const load = vi.fn(async () => ({ read: (text: string) => reading(text.includes('좋') ? 0.6 : -0.6) }));
    const text = new TextState(load);
    await Promise.all([text.type('좋'), text.type('좋아')]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(text.phase).toBe('ready');
    expect(text.usable?.valence).toBe(0.6);
    await text.type('슬퍼');
    expect(text.usable?.valence).toBe(-0.6);
    await text.type('   ');
    expect(text.reading).toBeNull();
    expect(text.usable).toBeNull();
  });

  it('a model that cannot load says why, keeps the words, and tries again on the next keystroke', async () => {
    let fail = true;
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const text = new TextState(async () => {
      if (fail) throw new Error('could not load /models/text-emotion/weights.bin: HTTP 404');
      return { read: () => reading(0.5) };
    });
    await text.type('기분 좋아');
    expect(text.phase).toBe('error');
    expect(text.error).toMatch(/weights\.bin: HTTP 404/);
    expect(text.words).toBe('기분 좋아');
    expect(text.usable).toBeNull();
    expect(error).toHaveBeenCalled();
    fail = false;
    await text.type('기분 좋아!');
    expect(text.phase).toBe('ready');
    expect(text.usable?.valence).toBe(0.5);
    error.mockRestore();
  });

  it('words that say nothing readable are not usable', async () => {
    const text = new TextState(async () => ({ read: () => ({ ...reading(0), reader: 'none', confidence: 0, language: 'other' }) }));
    await text.type('Ça va');
    expect(text.reading?.reader).toBe('none');
    expect(text.usable).toBeNull();
  });
});
