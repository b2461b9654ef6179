import { describe, expect, it } from 'vitest';
import { EMOTION_COORDINATES, normaliseDistribution } from '../../../../src/core/emotion/emotions.ts';
import { ANSWER_WINDOW_MS, PERSONAL_LABELS, answersFor, calibrateReading, examplesFor } from '../../../../src/core/emotion/personal-answers.ts';
import {
  applyPersonalCalibration,
  fitAxis,
  fitPersonalCalibration,
  labelTargetFromPoint,
  neutralCalibration,
  parsePersonalCalibration,
  type PersonalExample,
} from '../../../../src/core/emotion/personal-calibration.ts';
import { personalReliability, personalWeights } from '../../../../src/core/emotion/personal-weights.ts';
import { mulberry32 } from '../../../../src/core/random.ts';

const LABELS = PERSONAL_LABELS as readonly string[];
const probs = (top: string, p = 0.6) => LABELS.map((l) => (l === top ? p : (1 - p) / (LABELS.length - 1)));
const SAD_LOW = { valence: -0.6, arousal: -0.5 };

/** A listener whose voice the net reads as neutral-ish while they say "sad, low energy". */
function sadListener(n: number, jitter = 0.02): PersonalExample[] {
  const rnd = mulberry32(3);
  return Array.from({ length: n }, () => ({
    reading: { probabilities: probs('neutral'), valence: 0.05 + jitter * (rnd() - 0.5), arousal: -0.05 + jitter * (rnd() - 0.5) },
    ...SAD_LOW,
    labelTarget: labelTargetFromPoint(SAD_LOW, LABELS, EMOTION_COORDINATES),
  }));
}

describe('fitAxis', () => {
  it('is the identity without answers and learns an offset from consistent ones', () => {
    expect(fitAxis([], [], 4, 1)).toEqual({ scale: 1, offset: 0 });
    const xs = Array.from({ length: 40 }, (_, i) => -0.8 + i * 0.04);
    const fit = fitAxis(xs, xs.map((x) => x - 0.5), 4, 1);
    expect(fit.scale).toBeCloseTo(1, 1);
    expect(fit.offset).toBeCloseTo(-0.49, 1);
  });

  it('moves only part of the way on one answer (the population is the prior)', () => {
    const fit = fitAxis([0], [-0.6], 4, 1);
    expect(fit.offset).toBeCloseTo(-0.3, 6);
  });
});

describe('fitPersonalCalibration', () => {
  it('after three answers toward sad, low energy, a neutral reading of the same voice moves toward it', () => {
    const calibration = fitPersonalCalibration(LABELS, sadListener(3));
    expect(calibration.affectActive).toBe(true);
    expect(calibration.classActive).toBe(true);
    const before = { probabilities: probs('neutral'), valence: 0.05, arousal: -0.05 };
    const after = applyPersonalCalibration(calibration, before);
    expect(after.valence).toBeLessThan(-0.25);
    expect(after.arousal).toBeLessThan(-0.2);
    const sad = LABELS.indexOf('sad');
    expect(after.probabilities[sad]).toBeGreaterThan(before.probabilities[sad] + 0.2);
    expect(after.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
  });

  it('does nothing on one answer, or when the answers contradict each other (leave-one-out check)', () => {
    expect(fitPersonalCalibration(LABELS, sadListener(1)).affectActive).toBe(false);
    const rnd = mulberry32(11);
    // Readings that already match the answers, with noise: nothing to learn.
    const noisy: PersonalExample[] = Array.from({ length: 8 }, () => {
      const target = { valence: 2 * rnd() - 1, arousal: 2 * rnd() - 1 };
      const label = LABELS[Math.floor(rnd() * LABELS.length)];
      return {
        reading: { probabilities: probs(label, 0.7), valence: target.valence + 0.1 * (rnd() - 0.5), arousal: target.arousal + 0.1 * (rnd() - 0.5) },
        ...target,
        labelTarget: LABELS.map((l) => (l === label ? 1 : 0)),
      };
    });
    const calibration = fitPersonalCalibration(LABELS, noisy);
    expect(calibration.affectActive).toBe(false);
    expect(calibration.classActive).toBe(false);
    const reading = noisy[0].reading;
    expect(applyPersonalCalibration(calibration, reading)).toBe(reading);
  });

  it('the app\'s (local) model tunes readings like the answered ones and leaves a different reading alone (it learns the voice, not the mood)', () => {
    const calibration = fitPersonalCalibration(LABELS, sadListener(4));
    expect(calibration.model).toBe('local');
    const neutralRead = applyPersonalCalibration(calibration, { probabilities: probs('neutral'), valence: 0.05, arousal: -0.05 });
    expect(neutralRead.valence).toBeLessThan(-0.3);
    const happy = { probabilities: probs('happy', 0.8), valence: 0.7, arousal: 0.4 };
    const happyRead = applyPersonalCalibration(calibration, happy);
    expect(happyRead.valence).toBeCloseTo(happy.valence, 2);
    expect(happyRead.probabilities[LABELS.indexOf('happy')]).toBeCloseTo(0.8, 2);
    // The global model shifts every reading, the happy one too.
    const global = fitPersonalCalibration(LABELS, sadListener(4), { model: 'global' });
    expect(applyPersonalCalibration(global, happy).valence).toBeLessThan(happy.valence - 0.15);
  });

  it('round-trips through storage and refuses another label set', () => {
    const calibration = fitPersonalCalibration(LABELS, sadListener(4));
    expect(parsePersonalCalibration(JSON.parse(JSON.stringify(calibration)), LABELS)).toEqual(calibration);
    expect(parsePersonalCalibration(calibration, ['a', 'b'])).toBeNull();
    expect(parsePersonalCalibration(neutralCalibration(LABELS), LABELS)?.affectActive).toBe(false);
  });
});

describe('personal answers', () => {
  const reading = (label: 'neutral' | 'happy') => ({ distribution: normaliseDistribution({ [label]: 0.7, sad: 0.3 }), valence: 0.1, arousal: 0, confidence: 0.7 });

  it('pair an answer with the newest reading of each sense within the window only', () => {
    const at = 1_000_000_000;
    const pending = [
      { modality: 'voice' as const, readAt: at - 5000, reading: reading('neutral') },
      { modality: 'voice' as const, readAt: at - 1000, reading: reading('happy') },
      { modality: 'face' as const, readAt: at - ANSWER_WINDOW_MS - 1, reading: reading('neutral') },
    ];
    const answers = answersFor(pending, SAD_LOW, at, 'correction');
    expect(answers).toHaveLength(1);
    expect(answers[0].id).toBe(`voice:${at - 1000}`);
    expect(answers[0].probabilities[LABELS.indexOf('happy')]).toBeCloseTo(0.7, 9);
    const examples = examplesFor(answers, 'voice');
    expect(examples[0].labelTarget?.[LABELS.indexOf('sad')]).toBeGreaterThan(0.5);
    expect(examplesFor(answers, 'face')).toEqual([]);
  });

  it('calibrate a modality reading as a whole (distribution, point, confidence)', () => {
    const answers = [0, 1, 2].flatMap((i) => answersFor([{ modality: 'voice', readAt: i * 10, reading: reading('neutral') }], SAD_LOW, i * 10 + 5, 'correction'));
    const calibration = fitPersonalCalibration(LABELS, examplesFor(answers, 'voice'));
    const out = calibrateReading(calibration, reading('neutral'));
    expect(out.distribution.sad).toBeGreaterThan(0.3);
    expect(out.valence).toBeLessThan(-0.2);
    expect(out.distribution.contempt).toBe(0);
    expect(calibrateReading(null, reading('neutral'))).toEqual(reading('neutral'));
  });
});

describe('personalWeights', () => {
  it('weights the sense that agrees with the listener more, and stays near 1 with few answers', () => {
    const big = { valence: [0.8, -0.7, 0.9, 0.8, -0.9, 0.7, 0.8, 0.9], arousal: [0.6, 0.7, -0.8, 0.6, 0.7, -0.6, 0.8, 0.7] };
    const small = { valence: [0.1, -0.1, 0.05, 0.1, -0.05, 0.1, 0.1, 0.0], arousal: [0.1, 0.0, -0.1, 0.1, 0.05, -0.1, 0.1, 0.0] };
    const w = personalWeights({ voice: big, face: small });
    expect(w.voice?.valence).toBeLessThan(0.7);
    expect(w.face?.valence).toBeGreaterThan(1.3);
    const one = personalWeights({ voice: { valence: [0.9], arousal: [0.9] }, face: { valence: [0], arousal: [0] } });
    expect(one.voice?.valence).toBeGreaterThan(0.6);
    expect(personalWeights({})).toEqual({});
    const base = { perEmotion: Object.fromEntries(LABELS.map((l) => [l, 0.5])) as never, valence: 0.6, arousal: 0.8 };
    const scaled = personalReliability(base, { valence: 2, arousal: 0.5 });
    expect(scaled.valence).toBeCloseTo(1.2, 9);
    expect(scaled.arousal).toBeCloseTo(0.4, 9);
    expect(personalReliability(base, undefined)).toBe(base);
  });
});
