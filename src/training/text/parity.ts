import { createHash } from 'node:crypto';
import { textFeatureIndices, type TextFeatureSpec } from '../../core/text/text-features.ts';

/** The check that the app reads what PyTorch trained: `runTextModel` on the written weights.bin against PyTorch's outputs. */

/** Largest |difference| allowed in any probability, valence or arousal (float16 weights against float32). */
export const PARITY_TOLERANCE = 2e-3;

/** Texts beside the corpora's: empty, no letters, stretched laughter, negations, English, emoji, one over the length cap. */
export const PARITY_EXTRA_TEXTS: readonly string[] = [
  '',
  '   ...   ',
  'ㅋㅋㅋㅋㅋㅋㅋㅋ',
  '오늘 너무 피곤하지 않아',
  '안 피곤해 근데 좀 우울해 ㅠㅠ',
  'I am not happy today, but the music helps',
  '😀😀 최고!!!!!',
  '정말 '.repeat(300) + '좋다',
];

/** `count` rows spread evenly over the list (every corpus and both ends represented), as indices. */
export function parityRows(rows: readonly unknown[], count: number): number[] {
  const n = Math.min(count, rows.length);
  return Array.from({ length: n }, (_, i) => Math.floor((i * rows.length) / n));
}

/**
 * A few check-in-like phrases the model card shows as the shipped net reads them (illustrations,
 * not an evaluation): plain feelings, negation, and the kinds of text it misreads. `meant` is the
 * valence sign the writer means (`0`: no feeling either way; absent: no one reading), so the card
 * marks a misreading itself. None of them is a seed phrase (a test checks).
 */
export const CARD_EXAMPLES: readonly { text: string; gloss: string; meant?: '+' | '-' | '0' }[] = [
  { text: '오늘 정말 행복해', gloss: 'I am really happy today', meant: '+' },
  { text: '오늘 좀 지쳤어', gloss: 'a bit worn out today', meant: '-' },
  { text: '너무 지쳤어', gloss: 'so worn out', meant: '-' },
  { text: '피곤해', gloss: 'tired', meant: '-' },
  { text: '안 피곤해', gloss: 'not tired (this negated word is in no seed phrase)', meant: '0' },
  { text: '안 우울해', gloss: 'not depressed (the seed has only "우울하지 않아")', meant: '0' },
  { text: 'ㅠㅠㅠㅠ 너무 슬프다', gloss: 'so sad (crying)', meant: '-' },
  { text: '너무 짜증나', gloss: 'so annoyed', meant: '-' },
  { text: '내일 시험이라 걱정돼', gloss: 'worried, exam tomorrow (also a check sentence)', meant: '-' },
  { text: '참 잘~ 했네요', gloss: 'oh, well done (often sarcastic)', meant: '-' },
  { text: '무서워서 최고', gloss: 'so scary, the best (a horror review)' },
];

/**
 * Texts whose feature indices fingerprint the feature code: if `textFeatureIndices` changes what
 * it computes (not merely its comments), the fingerprint changes, and a test says the shipped
 * weights were trained on other features. A fixed list of its own (editing the card's examples
 * must not change it): negations of every kind, spacing, stretched letters, English, emoji,
 * digits, links, the length cap.
 */
export const FINGERPRINT_TEXTS: readonly string[] = [
  '',
  '   ...   ',
  'ㅋㅋㅋㅋㅋㅋㅋㅋ',
  '오늘 너무 피곤하지 않아',
  '안 피곤해 근데 좀 우울해 ㅠㅠ',
  'I am not happy today, but the music helps',
  '😀😀 최고!!!!!',
  '정말 '.repeat(300) + '좋다',
  '오늘 정말 행복해',
  '오늘 좀 지쳤어',
  '너무 지쳤어',
  '피곤해',
  '안 피곤해',
  '안 우울해',
  'ㅠㅠㅠㅠ 너무 슬프다',
  '너무 짜증나',
  '내일 시험이라 걱정돼',
  '참 잘~ 했네요',
  '무서워서 최고',
  '하나도 안 지쳤어',
  '피곤하지않아',
  '좋지 못해',
  'not tired at all, but hungry',
  'ㅋㅋㅋㅋㅋ 0000 https://example.com @someone',
];

/** SHA-256 over the features of {@link FINGERPRINT_TEXTS} (their indices, in order, little-endian u32, a length before each). */
export function featureFingerprint(spec: TextFeatureSpec): string {
  const hash = createHash('sha256');
  for (const text of FINGERPRINT_TEXTS) {
    const indices = textFeatureIndices(text, spec);
    const bytes = Buffer.alloc(4 * (indices.length + 1));
    bytes.writeUInt32LE(indices.length, 0);
    indices.forEach((v, i) => bytes.writeUInt32LE(v, 4 * (i + 1)));
    hash.update(bytes);
  }
  return hash.digest('hex');
}
