import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMOTIONS, type EmotionLabel } from '../../../../src/core/emotion/emotions.ts';
import { DEFAULT_TEXT_FEATURES } from '../../../../src/core/text/text-features.ts';
import { TEXT_TRAINING, seedRowWeight } from '../../../../src/training/text/config.ts';
import { NO_FOLD, evaluationRows, foldSplit, parseTextManifest, readTextManifest, seedTrainingRows, textFolds, type TextTrainingRow } from '../../../../src/training/text/corpora.ts';
import { CARD_EXAMPLES, featureFingerprint } from '../../../../src/training/text/parity.ts';
import {
  CHECK_PATH,
  SEED_PATH,
  hasNegation,
  parseCheckList,
  passesArousal,
  passesValence,
  readCheckList,
  readSeedPhrases,
  runCheckList,
} from '../../../../src/training/text/self-reports.ts';

const reading = (top: EmotionLabel, valence: number, arousal: number) => ({
  distribution: Object.fromEntries(EMOTIONS.map((l) => [l, l === top ? 0.65 : 0.05])) as Record<EmotionLabel, number>,
  valence,
  arousal,
  unsure: false,
  reader: 'model',
  featureCount: 12,
});

describe('check list', () => {
  it('parses text, valence and arousal signs (RFC 4180) and refuses anything else', () => {
    const list = parseCheckList('text,valence,arousal\n"지쳤어, 진짜",-,-\n그냥 그래,0,0\n신나!,+,+\n');
    expect(list).toEqual([
      { text: '지쳤어, 진짜', valence: '-', arousal: '-' },
      { text: '그냥 그래', valence: '0', arousal: '0' },
      { text: '신나!', valence: '+', arousal: '+' },
    ]);
    expect(() => parseCheckList('text,valence,arousal\n좋아,positive,+\n')).toThrow(/row 2 has valence "positive"/);
    expect(() => parseCheckList('text,valence\n좋아,+\n')).toThrow(/"arousal" column/);
    expect(() => parseCheckList('text,valence,arousal\n,+,+\n')).toThrow(/no text/);
  });

  it('judges each axis: signs, |valence| < 0.35 for a valence of 0, arousal 0 not checked', () => {
    expect(passesValence('+', 0.01)).toBe(true);
    expect(passesValence('+', -0.01)).toBe(false);
    expect(passesValence('-', -0.5)).toBe(true);
    expect(passesValence('0', 0.34)).toBe(true);
    expect(passesValence('0', -0.36)).toBe(false);
    expect(passesArousal('-', 0.1)).toBe(false);
    expect(passesArousal('+', 0.1)).toBe(true);
    expect(passesArousal('0', 0.9)).toBeNull();
    const list = parseCheckList('text,valence,arousal\na,-,-\nb,+,0\nc,0,+\n');
    const readings: Record<string, ReturnType<typeof reading>> = { a: reading('sad', -0.4, 0.2), b: reading('happy', 0.5, 0.9), c: reading('neutral', 0.5, 0.3) };
    const result = runCheckList(list, (t) => readings[t]);
    expect(result.valence).toEqual({ right: 2, of: 3 });
    expect(result.arousal).toEqual({ right: 1, of: 2 });
    expect(result.sentences[0]).toMatchObject({ top: 'sad', probability: 0.65, valencePass: true, arousalPass: false });
    expect(result.sentences[1].arousalPass).toBeNull();
    expect(result.sentences[2].valencePass).toBe(false);
    expect(result.sentences[0].cues).toEqual([]);
    expect(runCheckList(list.slice(0, 1), () => ({ ...reading('sad', -0.4, -0.2), cues: ['지쳤어'] })).sentences[0].cues).toEqual(['지쳤어']);
  });

  it('reads the shipped check.csv: 30 sentences, none of them a seed phrase or a card example', () => {
    const check = readCheckList(CHECK_PATH);
    expect(check.length).toBe(30);
    const seed = new Set(readTextManifest(SEED_PATH).rows.map((r) => r.text));
    expect(check.filter((c) => seed.has(c.text))).toEqual([]);
    expect(CARD_EXAMPLES.filter((e) => seed.has(e.text))).toEqual([]);
  });
});

describe('seed phrases', () => {
  it('are 105 labelled phrases, 18 of them negated, every name known to kote-emotions.ts', () => {
    const manifest = readTextManifest(SEED_PATH);
    const rows = seedTrainingRows(manifest);
    expect(rows.length).toBe(105);
    expect(rows.every((r) => r.corpus === 'seed' && r.emotion !== null && r.arousal !== null)).toBe(true);
    expect(manifest.rows.filter((r) => hasNegation(r.text)).length).toBe(18);
    expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length);
  });

  it('are read back against their targets (in-sample record)', () => {
    const phrases = [
      { text: '행복해', labels: ['행복'] },
      { text: '그냥 그래', labels: ['없음'] },
      { text: '안 슬퍼', labels: ['없음'] },
      { text: '지쳤어', labels: ['힘듦/지침'] },
    ];
    const r = readSeedPhrases(phrases, (t) => (t === '행복해' ? reading('happy', 0.6, 0.1) : t === '지쳤어' ? reading('happy', 0.2, 0.3) : reading('neutral', 0.1, 0)));
    expect(r.topRight).toBe(3);
    // 없음 has target valence and arousal 0: left out of the sign counts.
    expect(r.valenceSignRight).toEqual({ right: 1, of: 2 });
    expect(r.arousalSignRight).toEqual({ right: 1, of: 2 });
    expect(r.phrases.map((p) => p.negated)).toEqual([false, false, true, false]);
  });
});

describe('seed rows and the folds', () => {
  const corpus = [
    ...Array.from({ length: 300 }, (_, i) => ({ corpus: 'nsmc' as const, group: `nsmc:${(i * 7919) % 61}` })),
    ...Array.from({ length: 100 }, (_, i) => ({ corpus: 'kote' as const, group: `kote:${i}` })),
  ];
  const seed = seedTrainingRows(parseTextManifest('text,labels\n지쳤어,힘듦/지침\n안 슬퍼,없음\n신나,즐거움/신남\n')).map((r) => ({ corpus: r.corpus, group: r.group }));
  const rows: Pick<TextTrainingRow, 'corpus' | 'group'>[] = [...corpus.slice(0, 150), ...seed.slice(0, 1), ...corpus.slice(150), ...seed.slice(1)];
  const folds = textFolds(rows, 5, 1);
  const seedIndices = rows.flatMap((r, i) => (r.corpus === 'seed' ? [i] : []));

  it('puts seed rows in no fold and leaves the corpora\'s folds as they were without them', () => {
    expect(seedIndices.map((i) => folds[i])).toEqual([NO_FOLD, NO_FOLD, NO_FOLD]);
    const without = textFolds(corpus, 5, 1);
    expect(folds.filter((_, i) => rows[i].corpus !== 'seed')).toEqual(without);
  });

  it('trains every fold on every seed row and never predicts one', () => {
    for (let k = 0; k < 5; k++) {
      const { train, test } = foldSplit(folds, k);
      expect(seedIndices.every((i) => train.includes(i))).toBe(true);
      expect(test.some((i) => rows[i].corpus === 'seed')).toBe(false);
      expect(test.length).toBeGreaterThan(0);
    }
    // Across the folds, every corpus row is predicted exactly once.
    const predicted = Array.from({ length: 5 }, (_, k) => foldSplit(folds, k).test).flat();
    expect(predicted.sort((a, b) => a - b)).toEqual(rows.flatMap((r, i) => (r.corpus === 'seed' ? [] : [i])));
  });

  it('keeps seed rows out of every out-of-fold figure', () => {
    const { kote, nsmc } = evaluationRows(rows, folds);
    expect(kote.length).toBe(100);
    expect(nsmc.length).toBe(300);
    expect([...kote, ...nsmc].some((i) => rows[i].corpus === 'seed')).toBe(false);
    const broken = [...folds];
    broken[0] = NO_FOLD;
    expect(() => evaluationRows(rows, broken)).toThrow(/no fold/);
  });

  it('weighs the seed rows together as the configured share of the loss', () => {
    const share = TEXT_TRAINING.seedLossShare;
    const w = seedRowWeight(28_000, 105);
    expect((105 * w) / (28_000 + 105 * w)).toBeCloseTo(share, 12);
    expect(w).toBeCloseTo(14.035, 3);
    expect(seedRowWeight(28_000, 0)).toBe(0);
  });
});

describe('the shipped model and the feature code', () => {
  it('was trained on the features this code computes (fingerprint in metadata.json)', () => {
    const meta = JSON.parse(readFileSync(new URL('../../../../models/text-emotion/metadata.json', import.meta.url), 'utf8')) as {
      features: typeof DEFAULT_TEXT_FEATURES;
      training: { featureFingerprint?: string; data: { seed?: number } };
    };
    expect(meta.training.featureFingerprint).toBe(featureFingerprint(meta.features));
    expect(meta.training.data.seed).toBe(105);
  });

  it('fingerprints the features, not only the spec', () => {
    expect(featureFingerprint(DEFAULT_TEXT_FEATURES)).toMatch(/^[0-9a-f]{64}$/);
    expect(featureFingerprint({ ...DEFAULT_TEXT_FEATURES, buckets: 1 << 16 })).not.toBe(featureFingerprint(DEFAULT_TEXT_FEATURES));
    expect(featureFingerprint({ ...DEFAULT_TEXT_FEATURES, negation: false })).not.toBe(featureFingerprint(DEFAULT_TEXT_FEATURES));
  });
});
