import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextEmotionReader } from '../../../../src/adapters/text/text-emotion-reader.ts';
import { topEmotion } from '../../../../src/core/emotion/emotions.ts';

/** The shipped model, read from the repository as the app reads it from its origin. */
const MODEL_DIR = resolve(import.meta.dirname, '../../../../models/text-emotion');
const metadata = JSON.parse(readFileSync(resolve(MODEL_DIR, 'metadata.json'), 'utf8')) as { weights: { file: string } };
const weights = readFileSync(resolve(MODEL_DIR, metadata.weights.file));
const reader = TextEmotionReader.fromFiles({ metadata, weights });
const read = (text: string) => reader.read(text);

describe('the shipped text reader', () => {
  it('stays within its budget: ≤ 3 MB of weights', () => {
    expect(statSync(resolve(MODEL_DIR, metadata.weights.file)).size).toBeLessThanOrEqual(3 * 1024 * 1024);
  });

  it('reads Korean feelings in the listener\'s own words', () => {
    const happy = read('오늘 너무 행복해요 ㅎㅎ');
    expect(happy.reader).toBe('model');
    expect(topEmotion(happy.distribution)).toBe('happy');
    expect(happy.valence).toBeGreaterThan(0.3);

    const tired = read('퇴근길, 너무 지쳤어');
    expect(tired.valence).toBeLessThan(-0.1);
    expect(tired.arousal).toBeLessThan(0);
    expect(topEmotion(tired.distribution)).toBe('sad');

    const angry = read('진짜 짜증나고 화가 나');
    expect(angry.valence).toBeLessThan(-0.2);
    expect(angry.arousal).toBeGreaterThan(tired.arousal + 0.2);
    expect(read('ㅠㅠㅠㅠ 너무 슬프다').valence).toBeLessThan(-0.2);
  });

  it('reads the same words the same, spaced or not', () => {
    const spaced = read('너무 지쳤어');
    const unspaced = read('너무지쳤어');
    expect(Math.sign(unspaced.valence)).toBe(Math.sign(spaced.valence));
    expect(Math.abs(unspaced.valence - spaced.valence)).toBeLessThan(0.25);
    expect(Math.abs(unspaced.arousal - spaced.arousal)).toBeLessThan(0.25);
  });

  it('negation: "not tired" is not read as tired', () => {
    const tired = read('피곤해');
    for (const notTired of [read('안 피곤해'), read('피곤하지 않아')]) {
      expect(notTired.valence).toBeGreaterThan(tired.valence + 0.15);
      expect(notTired.distribution.sad).toBeLessThan(tired.distribution.sad);
    }
  });

  it('mixed feelings: "good, but a little anxious" holds both', () => {
    const mixed = read('좋은데 좀 불안해');
    const good = read('좋아');
    const anxious = read('불안해');
    expect(mixed.distribution.fearful).toBeGreaterThan(good.distribution.fearful);
    expect(mixed.distribution.happy).toBeGreaterThan(anxious.distribution.happy);
    expect(mixed.valence).toBeGreaterThan(anxious.valence);
    expect(mixed.valence).toBeLessThan(good.valence);
  });

  it('English by the AFINN lexicon and Norae\'s arousal words; other languages not at all', () => {
    const happy = read('I am so happy today!');
    expect(happy.reader).toBe('lexicon');
    expect(happy.valence).toBeGreaterThan(0.3);
    expect(topEmotion(happy.distribution)).toBe('happy');
    expect(read('need to wake up').arousal).toBeLessThan(0);
    expect(read("I'm tired").arousal).toBeLessThan(-0.5);
    expect(read("I'm not tired").arousal).toBe(0);
    // A lexicon is trusted half as much as the Korean net (a stated guess, not a measurement).
    expect(happy.reliability.valence).toBeCloseTo(reader.metadata.reliability.valence / 2, 9);
    expect(read('とても疲れた').reader).toBe('none');
    expect(read('the the the').reader).toBe('none');
  });

  it('reads a sentence well within 30 ms', () => {
    const sentence = '오늘 회의가 너무 길어서 진짜 지쳤는데 그래도 저녁은 맛있게 먹어서 조금 나아졌어 ㅋㅋ';
    read(sentence);
    const started = performance.now();
    for (let i = 0; i < 50; i++) read(sentence);
    expect((performance.now() - started) / 50).toBeLessThan(30);
  });
});
