import { describe, expect, it } from 'vitest';
import { normaliseDistribution } from '../../../src/core/emotion/emotions.ts';
import type { PersonalAnswer } from '../../../src/core/library/personal.ts';
import { PersonalState, type PersonalAnswerStore } from '../../../src/state/personal.svelte.ts';

const reading = { distribution: normaliseDistribution({ neutral: 0.5, sad: 0.3, happy: 0.2 }), valence: 0.3, arousal: 0.2, confidence: 0.5 };

function store(overrides: Partial<PersonalAnswerStore> = {}) {
  const kept: PersonalAnswer[] = [];
  const s: PersonalAnswerStore = {
    listAnswers: async () => [...kept],
    putAnswers: async (answers) => void kept.push(...answers),
    clearAnswers: async () => void kept.splice(0),
    ...overrides,
  };
  return { s, kept };
}

describe('PersonalState', () => {
  it('a calibration sentence teaches the voice only (a face read minutes before is not "neutral")', async () => {
    const { s, kept } = store();
    const personal = new PersonalState(() => s);
    await personal.load();
    personal.read('face', reading, 1000);
    await personal.calibrationSentence(reading, 2000);
    expect(kept.map((a) => [a.modality, a.source, a.answer])).toEqual([['voice', 'calibration', { valence: 0, arousal: 0 }]]);
  });

  it('an answer the disk refuses still tunes this visit and says so', async () => {
    const { s } = store({ putAnswers: async () => Promise.reject(new Error('QuotaExceededError')) });
    const personal = new PersonalState(() => s);
    await personal.load();
    for (let i = 0; i < 3; i++) {
      personal.read('voice', reading, i * 100);
      await personal.answered({ valence: -0.6, arousal: -0.5 }, 'correction', i * 100 + 50);
    }
    expect(personal.saveProblem).toContain('Quota');
    expect(personal.tunedFrom('voice')).toBe(3);
    expect(personal.read('voice', reading, 400).valence).toBeLessThan(0);
  });

  it('loads stored answers and tunes from them; reset forgets them on the device too', async () => {
    const first = store();
    const a = new PersonalState(() => first.s);
    await a.load();
    for (let i = 0; i < 4; i++) {
      a.read('voice', reading, i * 100);
      await a.answered({ valence: -0.6, arousal: -0.5 }, 'correction', i * 100 + 50);
    }
    const b = new PersonalState(() => first.s);
    await b.load();
    expect(b.answers).toHaveLength(4);
    expect(b.tunedFrom('voice')).toBe(4);
    await b.reset();
    expect(first.kept).toHaveLength(0);
    expect(b.tunedFrom('voice')).toBe(0);
    expect(b.read('voice', reading, 999)).toEqual(reading);
  });
});

describe('PersonalState fusion weights', () => {
  it('a sense this listener keeps correcting counts for less, and the check-in can say which one leans', async () => {
    const { s } = store();
    const personal = new PersonalState(() => s);
    await personal.load();
    const said = { valence: -0.6, arousal: -0.5 };
    const rnd = [0.9, -0.8, 0.7, 0.85, -0.9, 0.8];
    for (let i = 0; i < 6; i++) {
      // The face reads close to what they say; the voice is all over the plane.
      personal.read('face', { ...reading, valence: said.valence + 0.05, arousal: said.arousal - 0.05 }, i * 100);
      personal.read('voice', { ...reading, valence: rnd[i], arousal: -rnd[(i + 1) % 6] }, i * 100);
      await personal.answered(said, 'correction', i * 100 + 50);
    }
    const base = { perEmotion: { neutral: 0.5 } as never, valence: 0.5, arousal: 0.5 };
    expect(personal.reliability('face', base).valence).toBeGreaterThan(personal.reliability('voice', base).valence * 1.5);
    expect(personal.leaning).toEqual({ more: 'face', less: 'voice' });
  });
});
