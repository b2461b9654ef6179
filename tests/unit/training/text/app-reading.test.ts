import { describe, expect, it } from 'vitest';
import { EMOTIONS, normaliseDistribution, type EmotionLabel } from '../../../../src/core/emotion/emotions.ts';
import { feelingStems, findFeelingWords } from '../../../../src/core/text/korean-feelings.ts';
import { koteTargets } from '../../../../src/core/text/kote-emotions.ts';
import { normaliseText, tokenise } from '../../../../src/core/text/text-features.ts';
import { readingFromModel, withFeelingWords } from '../../../../src/core/text/text-reading.ts';
import { appReading, readingFigures, stemEffects, textReliability, unsureCandidates, type KoteTarget, type ReadingLike } from '../../../../src/training/text/app-reading.ts';
import { pooledValenceR, softmax } from '../../../../src/training/text/metrics.ts';
import { feelingStemTable } from '../../../../src/training/text/model-card.ts';

const META = { classes: [...EMOTIONS], unsureBelow: 0, reliability: { perEmotion: {}, valence: 0, arousal: 0 } };
/** Logits that put most of the weight on happy. */
const HAPPY_LOGITS = [0, 2, 0, 0, 0, 0, 0, 0];

const reading = (top: EmotionLabel, valence: number, arousal: number, cues: string[] = []): ReadingLike => ({
  distribution: normaliseDistribution({ [top]: 0.7, neutral: top === 'neutral' ? 1 : 0.3 }),
  valence,
  arousal,
  confidence: 0.7,
  cues,
});
const target = (labels: string[], polarity: 1 | -1 | null): KoteTarget => {
  const t = koteTargets(labels);
  if (!t) throw new Error('unknown labels');
  return { target: EMOTIONS.map((l) => t.distribution[l]), targetValence: t.point.valence, targetArousal: t.point.arousal, polarity };
};

describe('the app reading, rebuilt from the net\'s raw output', () => {
  it('is the core\'s readingFromModel of softmax(logits / T), then withFeelingWords of the text\'s feeling words', () => {
    const out = { logits: HAPPY_LOGITS, valence: 0.9, arousal: 0.2 };
    const { net, app } = appReading(META, out, 2, '너무 슬프다', 12);
    const p = softmax(HAPPY_LOGITS, 2);
    expect(net.distribution.happy).toBeCloseTo(p[1], 6);
    expect(net.valence).toBe(0.9);
    expect(net.featureCount).toBe(12);
    // One feeling word (슬프다 → 슬픔: valence −0.7, arousal −0.35), weight 0.6.
    expect(app.valence).toBeCloseTo(0.4 * 0.9 + 0.6 * -0.7, 6);
    expect(app.arousal).toBeCloseTo(0.4 * 0.2 + 0.6 * -0.35, 6);
    expect(app.cues).toEqual(['슬프다']);
    const direct = withFeelingWords(
      readingFromModel(META, { probabilities: Float32Array.from(p), valence: 0.9, arousal: 0.2, featureCount: 12 }),
      findFeelingWords(tokenise(normaliseText('너무 슬프다'))),
    );
    expect(app).toEqual(direct);
  });

  it('leaves the net\'s reading as it is when the text holds no feeling word', () => {
    const { net, app } = appReading(META, { logits: HAPPY_LOGITS, valence: 0.3, arousal: -0.1 }, 1, '회의 끝', 9);
    expect(app).toBe(net);
    expect(app.cues).toEqual([]);
  });
});

describe('figures of a set of readings', () => {
  // KOTE: a pleasant comment read pleasant with a feeling word, an unpleasant one read pleasant, a mixed one.
  const kote = [
    { target: target(['기쁨'], 1), reading: reading('happy', 0.6, 0.3, ['좋아']) },
    { target: target(['슬픔'], -1), reading: reading('happy', 0.2, 0.1) },
    { target: target(['기쁨', '짜증'], null), reading: reading('angry', -0.4, 0.5, ['짜증나']) },
  ];
  // NSMC: two polar reviews read right, one wrong; a middling one.
  const nsmc = [
    { rating: 10, targetValence: 1, reading: reading('happy', 0.5, 0) },
    { rating: 1, targetValence: -1, reading: reading('sad', -0.5, 0, ['ㅠㅠ']) },
    { rating: 8, targetValence: 0.56, reading: reading('sad', -0.1, 0) },
    { rating: 5, targetValence: -0.11, reading: reading('neutral', 0, 0) },
  ];
  const f = readingFigures(kote, nsmc);

  it('scores the readings as the net\'s figures are scored', () => {
    expect(f.kote.count).toBe(3);
    expect(f.kote.clear.count).toBe(2);
    expect(f.kote.clear.signAgreement).toBe(0.5);
    // Targets' argmax: happy (기쁨), sad (슬픔), happy (기쁨|짜증: happy 1, angry 0.7, disgust 0.3 → happy).
    expect(f.kote.recall.happy).toBe(0.5);
    expect(f.kote.recall.sad).toBe(0);
    expect(f.nsmc.polarCount).toBe(3);
    expect(f.nsmc.signAccuracy).toBeCloseTo(2 / 3, 12);
    expect(f.valenceReliability).toBeCloseTo(
      pooledValenceR(
        [
          { valence: 0.6, target: kote[0].target.targetValence },
          { valence: 0.2, target: kote[1].target.targetValence },
        ],
        nsmc.map((r) => ({ valence: r.reading.valence, target: r.targetValence })),
      ),
      12,
    );
  });

  it('counts the texts with feeling words per corpus', () => {
    expect(f.feelingWords.kote).toEqual({ texts: 2, of: 3, share: 2 / 3, clear: { texts: 1, of: 2 }, positive: { texts: 1, of: 1 }, negative: { texts: 0, of: 1 } });
    expect(f.feelingWords.nsmc).toEqual({ texts: 1, of: 4, share: 0.25 });
  });
});

describe('reliability and unsureBelow from a reading', () => {
  it('takes recall per emotion (0 below the support floor), the pooled valence r and the arousal r, rounded', () => {
    const recall = Object.fromEntries(EMOTIONS.map((l) => [l, 0.123456])) as Record<EmotionLabel, number>;
    const support = Object.fromEntries(EMOTIONS.map((l) => [l, l === 'contempt' ? 29 : 30])) as Record<EmotionLabel, number>;
    const r = textReliability({ recall, support, arousalR: 0.333333 }, 0.555555, 30);
    expect(r.perEmotion.happy).toBe(0.1235);
    expect(r.perEmotion.contempt).toBe(0);
    expect(r).toMatchObject({ valence: 0.5556, arousal: 0.3333 });
  });

  it('never counts a reading with feeling words as below a threshold, and leaves out mixed comments', () => {
    const c = unsureCandidates([
      { polarity: 1, reading: { ...reading('happy', 0.5, 0, ['좋아']), confidence: 0.2 } },
      { polarity: -1, reading: { ...reading('happy', 0.5, 0), confidence: 0.2 } },
      { polarity: null, reading: reading('sad', -0.5, 0) },
    ]);
    expect(c).toEqual([
      { confidence: Infinity, signRight: true },
      { confidence: 0.2, signRight: false },
    ]);
  });
});

describe('what each stem does to the valence sign', () => {
  it('counts texts per stem (once per text), unpleasant ones, and sign right before and after; the costliest first', () => {
    const e = stemEffects([
      { stems: ['ㅋㅋ', 'ㅋㅋ'], sign: -1, net: -0.3, app: 0.2 },
      { stems: ['ㅋㅋ', '좋은'], sign: 1, net: 0.4, app: 0.6 },
      { stems: ['좋은'], sign: -1, net: -0.1, app: 0.3 },
      { stems: ['피곤'], sign: -1, net: 0.2, app: -0.3 },
    ]);
    expect(e).toEqual([
      { stem: 'ㅋㅋ', texts: 2, negative: 1, netRight: 2, appRight: 1 },
      { stem: '좋은', texts: 2, negative: 1, netRight: 2, appRight: 1 },
      { stem: '피곤', texts: 1, negative: 1, netRight: 0, appRight: 1 },
    ]);
  });
});

describe('the model card\'s feeling-word table', () => {
  it('lists every stem once, grouped by its KOTE names, with the point those names read as', () => {
    const stems = feelingStems();
    const table = feelingStemTable(stems).split('\n');
    const groups = new Set(stems.map(([, names]) => names.join(' + ')));
    expect(table.length).toBe(2 + groups.size);
    const listed = table.slice(2).flatMap((line) => line.split(' | ').at(-1)?.replace(/ \|$/, '').split(', ') ?? []);
    expect(listed.sort()).toEqual(stems.map(([s]) => s).sort());
    expect(table.find((l) => l.startsWith('| 힘듦/지침 |'))).toMatch(/^\| 힘듦\/지침 \| tired, worn out \| -0\.45, -0\.7 \| 지쳤, /);
  });
});
