import { describe, expect, it } from 'vitest';
import { EMOTIONS, normaliseDistribution, type EmotionDistribution } from '../../../../src/core/emotion/emotions.ts';
import { FaceTracker, type FrameFace } from '../../../../src/core/face/face-tracker.ts';

type Label = 'happy' | 'sad' | 'neutral' | 'surprised';
const only = (label: Label): EmotionDistribution => normaliseDistribution({ [label]: 1 });
const face = (x: number, label: Label, size = 100): FrameFace => ({ box: { x, y: 50, width: size, height: size }, distribution: only(label) });
const mix = (x: number, parts: Partial<Record<Label, number>>): FrameFace => ({ box: { x, y: 50, width: 100, height: 100 }, distribution: normaliseDistribution(parts) });

describe('FaceTracker: temporal smoothing across camera frames', () => {
  it('moves 1 − exp(−Δt/τ) of the way to each new frame, whatever the frame rate (golden)', () => {
    const tracker = new FaceTracker({ timeConstantMs: 300 });
    tracker.update(0, [face(100, 'neutral')]);
    const [after100] = tracker.update(100, [face(102, 'happy')]);
    const alpha = 1 - Math.exp(-100 / 300); // 0.283469
    expect(after100.distribution.happy).toBeCloseTo(alpha, 12);
    expect(after100.distribution.neutral).toBeCloseTo(1 - alpha, 12);
    // Two 50 ms steps equal one 100 ms step.
    const fast = new FaceTracker({ timeConstantMs: 300 });
    fast.update(0, [face(100, 'neutral')]);
    fast.update(50, [face(101, 'happy')]);
    const [twice] = fast.update(100, [face(102, 'happy')]);
    expect(twice.distribution.happy).toBeCloseTo(alpha, 12);
    expect(after100.distribution.contempt).toBe(0);
    expect(EMOTIONS.reduce((s, l) => s + after100.distribution[l], 0)).toBeCloseTo(1, 12);
  });

  it('damps a one-frame flicker', () => {
    const tracker = new FaceTracker();
    for (let t = 0; t <= 1000; t += 100) tracker.update(t, [face(100, 'happy')]);
    const [flicker] = tracker.update(1100, [face(100, 'sad')]);
    expect(flicker.top).toBe('happy');
    expect(flicker.distribution.sad).toBeLessThan(0.3);
  });

  it('keeps ids while boxes overlap, gives a new face a new id, and forgets a face after the gap', () => {
    const tracker = new FaceTracker({ maxGapMs: 500 });
    const [a] = tracker.update(0, [face(100, 'happy')]);
    const both = tracker.update(100, [face(110, 'happy'), face(400, 'sad', 150)]);
    expect(both.map((f) => f.id)).toEqual([2, a.id]); // largest first: the new 150-px face
    expect(tracker.update(200, []).length).toBe(0);
    expect(tracker.faces).toHaveLength(2); // still remembered within the gap
    const [back] = tracker.update(500, [face(112, 'happy')]);
    expect(back.id).toBe(a.id);
    const [late] = tracker.update(1200, [face(112, 'happy')]);
    expect(late.id).not.toBe(a.id);
  });

  it('"use this moment" averages the last second of one face’s raw frames', () => {
    const tracker = new FaceTracker({ momentWindowMs: 1000 });
    tracker.update(0, [face(100, 'sad')]); // older than a second at t = 1500: left out
    for (let t = 600; t <= 1500; t += 100) tracker.update(t, [face(100, t < 1100 ? 'happy' : 'neutral')]);
    const moment = tracker.moment(1500);
    expect(moment).not.toBeNull();
    // Frames 600…1500: 5 happy (600–1000) and 5 neutral (1100–1500).
    expect(moment?.frameCount).toBe(10);
    expect(moment?.spanMs).toBe(900);
    expect(moment?.distribution.happy).toBeCloseTo(0.5, 12);
    expect(moment?.distribution.sad).toBe(0);
    expect(tracker.moment(5000)).toBeNull();
    expect(tracker.moment(1500, 999)).toBeNull();
    tracker.reset();
    expect(tracker.faces).toEqual([]);
  });

  it('"use this moment" lets the steadiest frames count most: a blink in a second of smiling barely moves it', () => {
    const tracker = new FaceTracker({ momentWindowMs: 1000 });
    // Ten frames: eight smiling, two (a blink, a turned head) read as surprised.
    for (let t = 0; t <= 900; t += 100) tracker.update(t, [face(100, t === 300 || t === 400 ? 'surprised' : 'happy')]);
    const moment = tracker.moment(900);
    expect(moment?.frameCount).toBe(10);
    // A plain mean would give 0.8; each frame weighted by its agreement with the mean: 6.4 / 6.8.
    expect(moment?.distribution.happy).toBeCloseTo(6.4 / 6.8, 9);
    expect(moment?.top).toBe('happy');
  });

  it('the shown emotion changes only when another leads it clearly: a close call does not flip on one frame', () => {
    const tracker = new FaceTracker({ timeConstantMs: 300, switchMargin: 0.1 });
    tracker.update(0, [mix(100, { happy: 0.55, neutral: 0.45 })]);
    // A frame that tips the balance a little: the smoothed top becomes neutral, the shown one stays.
    const [tipped] = tracker.update(100, [mix(100, { happy: 0.3, neutral: 0.7 })]);
    expect(tipped.top).toBe('neutral');
    expect(tipped.shown).toBe('happy');
    // Neutral for a while: now it leads clearly, and is shown.
    let last = tipped;
    for (let t = 200; t <= 1500; t += 100) [last] = tracker.update(t, [mix(100, { happy: 0.2, neutral: 0.8 })]);
    expect(last.shown).toBe('neutral');
  });
});
