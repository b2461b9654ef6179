import { describe, expect, it } from 'vitest';
import { EMOTIONS, EMOTION_COORDINATES, normaliseDistribution, type EmotionLabel } from '../../../../src/core/emotion/emotions.ts';
import { UNSURE_WEIGHT, fuseEmotions, type ModalityReading, type ModalityReliability } from '../../../../src/core/emotion/fusion.ts';

const reliability = (perEmotion: Partial<Record<EmotionLabel, number>>, valence: number, arousal: number): ModalityReliability => ({
  perEmotion: Object.fromEntries(EMOTIONS.map((l) => [l, perEmotion[l] ?? 0.5])) as Record<EmotionLabel, number>,
  valence,
  arousal,
});
const RELIABILITY = {
  voice: reliability({ happy: 0.5, angry: 0.8, contempt: 0 }, 0.5, 0.9),
  face: reliability({ happy: 0.95, angry: 0.6, contempt: 0 }, 0.9, 0.5),
};
const reading = (label: EmotionLabel, confidence = 0.8): ModalityReading => ({
  distribution: normaliseDistribution({ [label]: 0.85, neutral: 0.15 }),
  ...EMOTION_COORDINATES[label],
  confidence,
});

describe('fuseEmotions', () => {
  it('works with either modality alone', () => {
    const voiceOnly = fuseEmotions({ voice: reading('angry'), reliability: RELIABILITY });
    expect(voiceOnly.source).toBe('voice');
    expect(voiceOnly.top).toBe('angry');
    expect(voiceOnly.valence).toBeCloseTo(EMOTION_COORDINATES.angry.valence, 10);
    expect(voiceOnly.contributions.voice).toEqual({ valence: 1, arousal: 1 });
    expect(voiceOnly.contributions.face).toEqual({ valence: 0, arousal: 0 });
    expect(voiceOnly.confidence).toBeCloseTo(0.8, 10);

    const faceOnly = fuseEmotions({ voice: null, face: reading('happy', 0.9), reliability: RELIABILITY });
    expect(faceOnly.source).toBe('face');
    expect(faceOnly.mood).toBe('pleasure');
    expect(faceOnly.disagreement).toBeNull();
  });

  it('with nothing usable says so and sits at the centre', () => {
    const none = fuseEmotions({ voice: { ...reading('sad'), confidence: 0 }, face: { ...reading('sad'), valence: Number.NaN }, reliability: RELIABILITY });
    expect(none.source).toBe('none');
    expect(none.confidence).toBe(0);
    expect([none.valence, none.arousal]).toEqual([0, 0]);
  });

  it('weights each axis by its reliability and reports disagreement', () => {
    const fused = fuseEmotions({ voice: reading('angry'), face: reading('happy'), reliability: RELIABILITY });
    expect(fused.source).toBe('fused');
    expect(fused.disagreement).toMatchObject({ first: 'voice', firstTop: 'angry', second: 'face', secondTop: 'happy' });
    // Face is trusted more for valence, voice for arousal.
    expect(fused.contributions.face.valence).toBeCloseTo(0.9 / 1.4, 10);
    expect(fused.contributions.voice.arousal).toBeCloseTo(0.9 / 1.4, 10);
    expect(fused.valence).toBeGreaterThan((EMOTION_COORDINATES.angry.valence + EMOTION_COORDINATES.happy.valence) / 2);
    expect(fused.contributions.voice.valence + fused.contributions.face.valence).toBeCloseTo(1, 10);
    // The face's higher recall for happiness outvotes the voice's weaker anger evidence? Both count.
    expect(fused.distribution.happy + fused.distribution.angry).toBeGreaterThan(0.7);
    const agreeing = fuseEmotions({ voice: reading('happy'), face: reading('happy'), reliability: RELIABILITY });
    expect(agreeing.disagreement).toBeNull();
    expect(agreeing.confidence).toBeGreaterThan(fused.confidence);
    expect(agreeing.confidence).toBeGreaterThan(0.8);
  });

  it('never gives contempt to a model that cannot see it', () => {
    const r = reading('angry');
    r.distribution = normaliseDistribution({ contempt: 0.9, angry: 0.1 });
    expect(fuseEmotions({ voice: r, reliability: RELIABILITY }).distribution.contempt).toBe(0);
  });

  it('lets a correction win, pulling a point outside the plane back onto it', () => {
    const corrected = fuseEmotions({ voice: reading('angry'), face: reading('happy'), reliability: RELIABILITY, correction: { valence: -0.5, arousal: -0.4 } });
    expect(corrected.source).toBe('correction');
    expect([corrected.valence, corrected.arousal]).toEqual([-0.5, -0.4]);
    expect(corrected.confidence).toBe(1);
    expect(corrected.mood).toBe('depression');
    expect(corrected.correctionClamped).toBe(false);
    const outside = fuseEmotions({ reliability: RELIABILITY, correction: { valence: 3, arousal: -2 } });
    expect([outside.valence, outside.arousal]).toEqual([1, -1]);
    expect(outside.correctionClamped).toBe(true);
  });

  it('weighs a reading its model is unsure of less', () => {
    const sure = fuseEmotions({ voice: reading('angry', 0.6), face: reading('happy', 0.6), reliability: RELIABILITY });
    const unsure = fuseEmotions({ voice: { ...reading('angry', 0.6), unsure: true }, face: reading('happy', 0.6), reliability: RELIABILITY });
    expect(UNSURE_WEIGHT).toBe(0.5);
    // Arousal weights: voice 0.6 × 0.9 vs face 0.6 × 0.5; unsure, the voice's halves.
    expect(sure.contributions.voice.arousal).toBeCloseTo(0.54 / (0.54 + 0.3), 9);
    expect(unsure.contributions.voice.arousal).toBeCloseTo(0.27 / (0.27 + 0.3), 9);
    expect(unsure.arousal).toBeLessThan(sure.arousal);
  });

  it('fuses three senses: shares sum to 1 over all three, the widest disagreement is named, unsure senses yield to clear words', () => {
    const rel = { ...RELIABILITY, text: reliability({ sad: 0.6, happy: 0.7 }, 0.6, 0.4) };
    const three = fuseEmotions({ voice: reading('happy', 0.5), face: reading('happy', 0.5), text: reading('sad', 0.7), reliability: rel });
    expect(three.source).toBe('fused');
    for (const axis of ['valence', 'arousal'] as const) expect(three.contributions.voice[axis] + three.contributions.face[axis] + three.contributions.text[axis]).toBeCloseTo(1, 10);
    expect(three.disagreement).toMatchObject({ first: 'voice', firstTop: 'happy', second: 'text', secondTop: 'sad' });
    const sensorsUnsure = { ...reading('happy', 0.3), unsure: true };
    const withWords = fuseEmotions({ voice: sensorsUnsure, face: { ...reading('happy', 0.3), unsure: true }, text: reading('sad', 0.7), reliability: rel });
    const without = fuseEmotions({ voice: sensorsUnsure, face: { ...reading('happy', 0.3), unsure: true }, reliability: rel });
    expect(without.valence).toBeGreaterThan(0.5);
    expect(withWords.valence).toBeLessThan(0);
    expect(fuseEmotions({ text: reading('sad'), reliability: rel }).source).toBe('text');
  });

  it('refuses a reading that comes without its reliability', () => {
    expect(() => fuseEmotions({ voice: reading('sad'), reliability: { face: RELIABILITY.face } })).toThrow(/voice reading without its reliability/);
  });
});
