import { describe, expect, it } from 'vitest';
import { AutoStopDetector, assessRecording, rmsDb } from '../../../../src/core/recording/voice-activity.ts';

const tone = (seconds: number, amplitude: number, rate = 16000) =>
  Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => amplitude * Math.sin((2 * Math.PI * 220 * i) / rate));

describe('rmsDb', () => {
  it('measures a full-scale sine at −3 dBFS and silence at the floor', () => {
    expect(rmsDb(tone(0.1, 1))).toBeCloseTo(-3.01, 1);
    expect(rmsDb(tone(0.1, 0.1))).toBeCloseTo(-23.01, 1);
    expect(rmsDb(new Float32Array(100))).toBe(-100);
  });
});

describe('AutoStopDetector', () => {
  const block = 0.02;
  it('stops after speech followed by trailing silence, not before speech', () => {
    const d = new AutoStopDetector({ trailingSilenceSeconds: 1 });
    for (let t = 0; t < 3; t += block) expect(d.push(-65, block)).toBe(false); // room noise, no speech yet
    for (let t = 0; t < 1.5; t += block) expect(d.push(-20, block)).toBe(false); // speaking
    let stoppedAfter = -1;
    for (let t = 0; t < 2; t += block) {
      if (d.push(-64, block)) {
        stoppedAfter = t;
        break;
      }
    }
    expect(stoppedAfter).toBeGreaterThan(0.9);
    expect(stoppedAfter).toBeLessThan(1.1);
    expect(d.speechSeconds).toBeCloseTo(1.5, 1);
  });

  it('adapts to a noisy room: steady noise is not speech', () => {
    const d = new AutoStopDetector();
    for (let t = 0; t < 5; t += block) d.push(-35, block);
    expect(d.speechSeconds).toBeLessThan(0.5);
  });
});

describe('assessRecording', () => {
  it('flags quiet, short, clipped and silent recordings', () => {
    expect(assessRecording(tone(2, 0.5), 16000).warnings).toEqual([]);
    expect(assessRecording(tone(2, 0.01), 16000).warnings).toEqual(['too-quiet']);
    expect(assessRecording(tone(0.5, 0.5), 16000).warnings).toEqual(['too-short']);
    expect(assessRecording(new Float32Array(32000), 16000).warnings).toEqual(['silent']);
    const clipped = tone(2, 3).map((v) => Math.max(-1, Math.min(1, v)));
    expect(assessRecording(clipped, 16000).warnings).toContain('clipping');
  });
});
