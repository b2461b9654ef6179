import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMOTIONS, type EmotionLabel } from '../../../../src/core/emotion/emotions.ts';
import { KOTE_EMOTIONS } from '../../../../src/core/text/kote-emotions.ts';
import { DEFAULT_TEXT_FEATURES, textFeatureIndices } from '../../../../src/core/text/text-features.ts';
import { expectedTextTensors, parseTextModelMetadata, runTextModel, splitTextWeights } from '../../../../src/core/text/text-model.ts';
import { formatCsv, parseCsv } from '../../../../src/training/music/csv.ts';
import { TEXT_CANDIDATES, WEIGHTS_BUDGET_BYTES, candidateBytes, candidateFeatures, chooseCandidate, featureKey } from '../../../../src/training/text/config.ts';
import { parseTextManifest } from '../../../../src/training/text/corpora.ts';
import { evaluateTextManifest, PREDICTION_COLUMNS } from '../../../../src/training/text/evaluate.ts';
import { exportTextFeatures, readFloat32Rows, readTextFeatures, writeFloat32 } from '../../../../src/training/text/export-features.ts';
import { englishSection, koteMappingTable } from '../../../../src/training/text/model-card.ts';
import { parityRows, PARITY_EXTRA_TEXTS } from '../../../../src/training/text/parity.ts';

describe('candidates and the selection rule', () => {
  it('keeps at most four candidates, each within the size budget, sized as the contract lays them out', () => {
    expect(TEXT_CANDIDATES.length).toBeLessThanOrEqual(4);
    for (const c of TEXT_CANDIDATES) {
      const tensors = expectedTextTensors({ features: candidateFeatures(c), classes: [...EMOTIONS], embeddingDim: c.dim, hiddenUnits: c.hidden });
      const elements = tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
      expect(candidateBytes(c)).toBe(elements * 2);
      expect(candidateBytes(c)).toBeLessThanOrEqual(WEIGHTS_BUDGET_BYTES);
    }
    expect(featureKey(candidateFeatures({ buckets: 1 << 16 }))).toBe('b16-c13-w2-neg');
  });

  it('takes the best score, preferring an earlier candidate within 0.005', () => {
    expect(chooseCandidate([1.8, 1.9, 1.85])).toBe(1);
    expect(chooseCandidate([1.896, 1.9, 1.85])).toBe(0);
    expect(chooseCandidate([1.894, 1.9, 1.899])).toBe(1);
    expect(chooseCandidate([1.85, 1.897, 1.9])).toBe(1);
  });
});

describe('feature export', () => {
  it('writes the app features and reads them back unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'norae-text-'));
    try {
      const texts = ['오늘 너무 피곤하지 않아', '', 'ㅋㅋㅋㅋㅋ 최고', 'not happy'];
      const spec = { ...DEFAULT_TEXT_FEATURES, buckets: 1 << 16 };
      const written = exportTextFeatures(texts, spec, dir);
      const back = readTextFeatures(dir);
      expect(back.map((a) => Array.from(a))).toEqual(texts.map((t) => Array.from(textFeatureIndices(t, spec))));
      expect(written.features).toBe(back.reduce((s, a) => s + a.length, 0));
      expect(back[1].length).toBe(0);
      writeFloat32(join(dir, 'm.f32'), new Float32Array([1, 2.5, -3, 4, 5, 6]));
      expect(readFloat32Rows(join(dir, 'm.f32'), 3).map((r) => Array.from(r))).toEqual([
        [1, 2.5, -3],
        [4, 5, 6],
      ]);
      expect(() => readFloat32Rows(join(dir, 'm.f32'), 4)).toThrow(/whole number/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('spreads the parity rows over the whole list', () => {
    expect(parityRows(new Array(10), 4)).toEqual([0, 2, 5, 7]);
    expect(parityRows(new Array(3), 5)).toEqual([0, 1, 2]);
    expect(PARITY_EXTRA_TEXTS).toContain('');
  });
});

describe('evaluateTextManifest', () => {
  const reading = (top: EmotionLabel, valence: number, reader = 'model') => ({
    distribution: Object.fromEntries(EMOTIONS.map((l) => [l, l === top ? 0.65 : 0.05])) as Record<EmotionLabel, number>,
    valence,
    arousal: valence / 2,
    confidence: 0.65,
    unsure: false,
    reader,
    featureCount: 12,
  });

  it('scores a rating manifest and writes one CSV row per text, texts with commas intact', () => {
    const m = parseTextManifest('id,movie,text,rating\n1,1,"별로, 진짜 ""별로""",1\n2,1,최고,10\n3,2,그럭저럭,5\n4,2,good,8\n');
    const readings: Record<string, ReturnType<typeof reading>> = {
      '별로, 진짜 "별로"': reading('sad', -0.6),
      '최고': reading('happy', 0.7),
      '그럭저럭': reading('neutral', 0.1),
      good: reading('happy', -0.2, 'lexicon'),
    };
    const e = evaluateTextManifest(m, (t) => readings[t]);
    expect(e.rating?.signAccuracy).toBeCloseTo(2 / 3, 12);
    expect(e.readers).toEqual({ model: 3, lexicon: 1 });
    expect(e.header).toEqual([...PREDICTION_COLUMNS, 'rating']);
    const csv = parseCsv(formatCsv([e.header, ...e.rows]));
    expect(csv[1][0]).toBe('별로, 진짜 "별로"');
    expect(csv[1][1]).toBe('sad');
    expect(csv[1][csv[0].indexOf('p_sad')]).toBe('0.65');
    expect(csv[4][csv[0].indexOf('reader')]).toBe('lexicon');
    expect(csv[4][csv[0].indexOf('rating')]).toBe('8');
  });

  it('scores a labels manifest by KOTE figures', () => {
    const m = parseTextManifest('text,labels\n좋아,기쁨|행복\n싫어,짜증|화남/분노\n음,기쁨|짜증\n');
    const e = evaluateTextManifest(m, (t) => (t === '좋아' ? reading('happy', 0.5) : t === '싫어' ? reading('happy', -0.5) : reading('neutral', 0)));
    expect(e.labels?.clear.count).toBe(2);
    expect(e.labels?.clear.signAgreement).toBe(1);
    // 음 (기쁨|짜증: mixed, so not a clear comment) has happy as its target's argmax and was read neutral.
    expect(e.labels?.recall.happy).toBe(0.5);
    expect(e.labels?.recall.angry).toBe(0);
    expect(e.rows[2][e.header.indexOf('labels')]).toBe('기쁨|짜증');
  });
});

describe('model card', () => {
  it('lists every KOTE name in the mapping table', () => {
    const table = koteMappingTable().split('\n');
    expect(table.length).toBe(2 + Object.keys(KOTE_EMOTIONS).length);
    expect(table.find((l) => l.startsWith('| 힘듦/지침 '))).toContain('sad 0.8, neutral 0.2 | -0.45 | -0.7 | − |');
  });

  it('describes the English word list from the lists themselves, with half the net\'s reliability', () => {
    const text = englishSection({ perEmotion: { happy: 0.6 }, valence: 0.6, arousal: 0.4 });
    expect(text).toContain('AFINN-165 lexicon, 3,382 words');
    expect(text).toContain('58-word energy list');
    expect(text).toContain('tired -0.7, calm -0.55, excited 0.75, furious 0.9');
    expect(text).toMatch(/valence\s+0\.300, arousal 0\.200/);
  });
});

describe('the shipped text model (models/text-emotion)', () => {
  it('satisfies the contract, fits the budget and reads a sentence', () => {
    const dir = new URL('../../../../models/text-emotion/', import.meta.url);
    const meta = parseTextModelMetadata(JSON.parse(readFileSync(new URL('metadata.json', dir), 'utf8')));
    const bytes = readFileSync(new URL('weights.bin', dir));
    expect(bytes.byteLength).toBeLessThanOrEqual(WEIGHTS_BUDGET_BYTES);
    expect(meta.classes).toEqual([...EMOTIONS]);
    const out = runTextModel(meta, splitTextWeights(meta, new Uint8Array(bytes)), textFeatureIndices('오늘 정말 행복하고 기분 좋아', meta.features));
    expect(out.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(out.valence).toBeGreaterThan(0);
    for (const v of [meta.reliability.valence, meta.reliability.arousal, ...Object.values(meta.reliability.perEmotion)]) expect(Math.abs(v as number)).toBeLessThanOrEqual(1);
  });
});
