import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../../src/core/emotion/emotions.ts';
import { koteTrainingRows, nsmcTrainingRows, parseTextManifest, ratingValence, textFolds } from '../../../../src/training/text/corpora.ts';

describe('parseTextManifest', () => {
  it('reads quoted texts with commas, doubled quotes and line breaks (RFC 4180)', () => {
    const csv = 'id,movie,text,rating\r\n1,10,"좋다, 정말 ""최고""",9\r\n2,10,"첫 줄\n둘째 줄",2\n3,11,그냥 그래요,5\n';
    const m = parseTextManifest(csv);
    expect(m.kind).toBe('rating');
    expect(m.rows.map((r) => r.text)).toEqual(['좋다, 정말 "최고"', '첫 줄\n둘째 줄', '그냥 그래요']);
    expect(m.rows.map((r) => r.rating)).toEqual([9, 2, 5]);
    expect(m.rows[2]).toMatchObject({ id: '3', movie: '11', labels: [] });
  });

  it('splits KOTE labels and numbers rows without an id column', () => {
    const m = parseTextManifest('text,labels\n"와, 대박",기쁨|놀람\n짜증나,짜증| \n');
    expect(m.kind).toBe('labels');
    expect(m.rows).toEqual([
      { id: '1', text: '와, 대박', rating: null, movie: '', labels: ['기쁨', '놀람'] },
      { id: '2', text: '짜증나', rating: null, movie: '', labels: ['짜증'] },
    ]);
  });

  it('refuses manifests it cannot score', () => {
    expect(() => parseTextManifest('text,score\n좋다,3\n')).toThrow(/rating.*labels/);
    expect(() => parseTextManifest('review,rating\n좋다,3\n')).toThrow(/"text"/);
    expect(() => parseTextManifest('text,rating\n좋다,11\n')).toThrow(/rating "11"/);
  });
});

describe('training rows', () => {
  it('maps ratings 1…10 linearly onto −1…1', () => {
    expect(ratingValence(1)).toBe(-1);
    expect(ratingValence(10)).toBe(1);
    expect(ratingValence(5.5)).toBe(0);
  });

  it('turns KOTE names into soft targets over the 8 emotions, and refuses unknown names', () => {
    const [row] = koteTrainingRows(parseTextManifest('id,text,labels\n7,최고야,기쁨|행복\n'));
    expect(row.emotion).toEqual(EMOTIONS.map((l) => (l === 'happy' ? 1 : 0)));
    expect(row.valence).toBeCloseTo(0.825, 6);
    expect(row.arousal).toBeCloseTo(0.325, 6);
    expect(row.polarity).toBe(1);
    expect(() => koteTrainingRows(parseTextManifest('id,text,labels\n1,음,기쁨|없는감정\n'))).toThrow(/없는감정/);
  });

  it('gives NSMC rows a valence target only', () => {
    const [row] = nsmcTrainingRows(parseTextManifest('id,movie,text,rating\n1,42,재밌다,10\n'));
    expect(row).toMatchObject({ corpus: 'nsmc', group: 'nsmc:42', emotion: null, arousal: null, valence: 1, rating: 10 });
  });
});

describe('textFolds', () => {
  const rows = [
    ...Array.from({ length: 500 }, (_, i) => ({ corpus: 'nsmc' as const, group: `nsmc:${(i * 7919) % 97}` })),
    ...Array.from({ length: 100 }, (_, i) => ({ corpus: 'kote' as const, group: `kote:${i}` })),
  ];

  it('never splits a movie between folds and is reproducible', () => {
    const folds = textFolds(rows, 5, 1);
    expect(textFolds(rows, 5, 1)).toEqual(folds);
    const foldOf = new Map<string, number>();
    rows.forEach((r, i) => {
      if (foldOf.has(r.group)) expect(folds[i]).toBe(foldOf.get(r.group));
      foldOf.set(r.group, folds[i]);
    });
  });

  it('deals each corpus evenly over the folds', () => {
    const folds = textFolds(rows, 5, 3);
    for (const corpus of ['kote', 'nsmc']) {
      const counts = [0, 0, 0, 0, 0];
      rows.forEach((r, i) => r.corpus === corpus && counts[folds[i]]++);
      expect(Math.min(...counts)).toBeGreaterThan(0);
      // Movies hold 5–6 reviews here: folds differ by at most one movie.
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(corpus === 'kote' ? 1 : 6);
    }
  });
});
