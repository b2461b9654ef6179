import { describe, expect, it } from 'vitest';
import { tempoVerdict } from '../../../src/training/music/click-track.ts';
import { groupKFold, meanStd, quantile } from '../../../src/training/music/cross-validation.ts';
import { formatCsv, parseCsv, parseCsvRecords } from '../../../src/training/music/csv.ts';
import { fitTemperature } from '../../../src/training/music/fit-emotion.ts';
import { fitLogistic, logit } from '../../../src/training/music/logistic.ts';

describe('CSV', () => {
  it('parses quoted commas, escaped quotes, line breaks in quotes, CRLF and a BOM', () => {
    const text = '\ufefffile,title,moods\r\nQ1/a.mp3,"Salt, Peanuts","Happy; ""Lively"""\r\nQ2/b.mp3,"two\nlines",\r\n\r\n';
    expect(parseCsv(text)).toEqual([
      ['file', 'title', 'moods'],
      ['Q1/a.mp3', 'Salt, Peanuts', 'Happy; "Lively"'],
      ['Q2/b.mp3', 'two\nlines', ''],
    ]);
    expect(parseCsvRecords(text)[0]).toEqual({ file: 'Q1/a.mp3', title: 'Salt, Peanuts', moods: 'Happy; "Lively"' });
    expect(() => parseCsv('a,"b')).toThrow(/unterminated/);
  });

  it('round-trips what it writes', () => {
    const rows = [['file', 'note'], ['x.mp3', 'a, "b"'], ['y.mp3', 3.5]];
    expect(parseCsv(formatCsv(rows))).toEqual(rows.map((r) => r.map(String)));
  });
});

describe('groupKFold', () => {
  it('never splits a group and balances fold sizes', () => {
    const groups = Array.from({ length: 300 }, (_, i) => `artist${i % 97 === 0 ? 0 : i % 230}`);
    const fold = groupKFold(groups, 5, 42);
    const foldOf = new Map<string, number>();
    groups.forEach((g, i) => {
      if (foldOf.has(g)) expect(fold[i]).toBe(foldOf.get(g));
      foldOf.set(g, fold[i]);
    });
    const sizes = [0, 1, 2, 3, 4].map((f) => fold.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(5);
    expect(groupKFold(groups, 5, 42)).toEqual(fold);
  });

  it('summarises folds', () => {
    expect(meanStd([0.5, 0.7])).toEqual({ mean: 0.6, std: expect.closeTo(0.1, 12) });
    expect(quantile([3, 1, 2, 4], 0.5)).toBeCloseTo(2.5, 12);
  });
});

describe('fitLogistic', () => {
  it('recovers the direction of a noisy linear rule, and λ shrinks the weights', () => {
    let s = 9;
    const rand = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const x = Array.from({ length: 400 }, () => [rand(), rand(), rand()]);
    const y = x.map((r) => (2 * r[0] - r[1] + 0.3 * rand() > 0 ? 1 : -1));
    const weak = fitLogistic(x, y, 1e-4);
    expect(weak.weights[0]).toBeGreaterThan(0);
    expect(weak.weights[1]).toBeLessThan(0);
    expect(Math.abs(weak.weights[2])).toBeLessThan(0.5 * Math.abs(weak.weights[1]));
    const accuracy = x.filter((r, i) => (logit(weak, r) > 0 ? 1 : -1) === y[i]).length / x.length;
    expect(accuracy).toBeGreaterThan(0.9);
    const strong = fitLogistic(x, y, 1);
    expect(Math.abs(strong.weights[0])).toBeLessThan(Math.abs(weak.weights[0]));
  });
});

describe('tempoVerdict', () => {
  it('separates correct, octave and wrong estimates at 4 %', () => {
    expect(tempoVerdict(123, 120)).toBe('correct');
    expect(tempoVerdict(126, 120)).toBe('wrong');
    expect(tempoVerdict(241, 120)).toBe('octave');
    expect(tempoVerdict(60.5, 120)).toBe('octave');
    expect(tempoVerdict(180, 120)).toBe('wrong');
  });
});

describe('fitTemperature', () => {
  it('finds T ≈ 2 for logits twice as confident as the labels warrant', () => {
    let s = 21;
    const rand = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
    const logits: number[] = [];
    const signs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const trueLogit = 4 * (rand() - 0.5);
      signs.push(rand() < 1 / (1 + Math.exp(-trueLogit)) ? 1 : -1);
      logits.push(2 * trueLogit);
    }
    expect(fitTemperature(logits, signs)).toBeCloseTo(2, 0);
    expect(Math.abs(fitTemperature(logits.map((z) => z / 2), signs) - 1)).toBeLessThan(0.1);
  });
});
