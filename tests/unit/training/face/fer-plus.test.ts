import { describe, expect, it } from 'vitest';
import { ferPlusMajority, ferPlusVotes } from '../../../../src/training/face/fer-plus.ts';

const row = (votes: number[]) =>
  Object.fromEntries(['fp_neutral', 'fp_happiness', 'fp_surprise', 'fp_sadness', 'fp_anger', 'fp_disgust', 'fp_fear', 'fp_contempt', 'fp_unknown', 'fp_nf'].map((c, i) => [c, String(votes[i])]));

describe('FER+ votes', () => {
  it('maps the vote columns onto our labels, dropping contempt, unknown and not-a-face', () => {
    expect(ferPlusVotes(row([3, 0, 1, 0, 2, 0, 4, 5, 1, 0]), ['neutral', 'fearful', 'angry', 'surprised'])).toEqual([3, 4, 2, 1]);
    expect(ferPlusVotes(row([0, 0, 0, 0, 0, 0, 0, 5, 5, 0]), ['neutral', 'happy'])).toBeNull();
    expect(ferPlusVotes({ file: 'x.png', label: 'sad', fp_neutral: '' }, ['neutral'])).toBeNull();
    expect(ferPlusVotes({ file: 'x.png', label: 'sad' }, ['neutral'])).toBeNull();
    expect(() => ferPlusVotes(row([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), ['neutral'])).toThrow(/vote count/);
  });

  it('takes a majority only when one emotion strictly leads all ten columns', () => {
    expect(ferPlusMajority(row([1, 0, 0, 2, 0, 0, 6, 0, 1, 0]))).toBe('fearful');
    expect(ferPlusMajority(row([4, 0, 0, 4, 0, 0, 0, 0, 2, 0]))).toBeNull(); // a tie
    expect(ferPlusMajority(row([2, 0, 0, 1, 0, 0, 0, 0, 7, 0]))).toBeNull(); // "unknown" leads
    expect(ferPlusMajority(row([2, 0, 0, 1, 0, 0, 0, 6, 1, 0]))).toBeNull(); // contempt: no class of ours
    expect(ferPlusMajority({ file: 'x.png', label: 'sad' })).toBeNull();
  });
});
