/**
 * Words → the text model's input: the indices of hashed n-gram features (fastText's "bag of
 * tricks", Joulin et al. 2017). Pure and shared by training (Node) and the app, so the model
 * reads in the browser exactly what it was trained on.
 *
 * Why this shape: Korean online writing spaces words loosely, stretches laughter and crying
 * (ㅋㅋㅋㅋ, ㅠㅠㅠ), and coins slang. Character n-grams read the same whether "너무 지쳤어" is
 * written with or without its space; a word that was never seen still shares most of its
 * n-grams with ones that were. Hashing bounds the model's size whatever the vocabulary.
 */

/** The feature layout a model was trained with (its metadata.json `features`); the app checks it. */
export interface TextFeatureSpec {
  kind: 'hashed-ngrams';
  version: 1;
  /** Rows of the embedding table: feature hashes are taken modulo this. */
  buckets: number;
  /** Character n-gram lengths over each span's letters, spaces removed (inclusive). */
  charNgramMin: number;
  charNgramMax: number;
  /** Word n-grams up to this length (1 = words only). */
  wordNgramMax: number;
  /** Whether negated words are marked (their n-grams hashed apart from the plain ones). */
  negation: boolean;
}

export const DEFAULT_TEXT_FEATURES: TextFeatureSpec = {
  kind: 'hashed-ngrams',
  version: 1,
  buckets: 1 << 17,
  charNgramMin: 1,
  charNgramMax: 3,
  wordNgramMax: 2,
  negation: true,
};

/** At most this many characters of a text are read (a check-in is "a few words"; memory stays bounded). */
export const MAX_TEXT_CHARACTERS = 500;

/** Marks a negated word's features; never produced by {@link normaliseText}. */
const NEGATED = '\u00ac';

/**
 * Canonical form: NFC (not NFKC, which would turn the compatibility jamo of ㅋㅋ/ㅠㅠ into
 * conjoining jamo), lower case, links and mentions dropped, digits folded to 0, any character
 * repeated more than three times cut to three (ㅋㅋㅋㅋㅋ = ㅋㅋㅋ, !!!!! = !!!), white space collapsed.
 */
export function normaliseText(text: string): string {
  return text
    .slice(0, MAX_TEXT_CHARACTERS * 2)
    .normalize('NFC')
    .toLowerCase()
    .replace(/https?:\/\/\S+|www\.\S+|@\w+/g, ' ')
    .replace(/\d/g, '0')
    .replace(/(.)\1{3,}/gsu, '$1$1$1')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_TEXT_CHARACTERS);
}

/** A word, whether a negation applies to it, and whether it is itself the negating word. */
export interface TextToken {
  word: string;
  negated: boolean;
  /**
   * A negator that negated a word (안, 못, 않아, not …): it gives no features of its own — its
   * meaning is the mark on the word it negates. Left in, "안" would read as the negative reviews
   * it mostly stands in ("안 좋다", "재미 안 남"), and "not tired" would gain a negative word.
   */
  negator: boolean;
}

/** Korean words that negate the next word: 안 피곤해, 못 자겠어 (pre-verbal negation). */
const KO_NEGATE_NEXT = new Set(['안', '못', '안해', '별로']);
/** English negators: they negate the words after them up to the clause's end (Pang et al. 2002). */
const EN_NEGATORS = /^(not|no|never|nothing|nobody|none|neither|nor|cannot|cant|dont|doesnt|didnt|isnt|arent|wasnt|werent|wont|wouldnt|shouldnt|couldnt|aint|hardly|without)$|n't$/;
/** A clause ends at punctuation or a contrastive connective, where a negation stops. */
const CLAUSE_END = /^[.,!?;:~…]+$|^(but|though|although|yet|however|그런데|근데|하지만|그래도|그러나)$/;
/** Korean post-verbal negation written as its own word: 피곤하지 않아, 좋지 못해, 가지 마. */
const KO_NEGATE_PREVIOUS = /^(않|못하|못해|못했|말|마)/;
/** The same negation written inside one word: 피곤하지않아. */
const KO_NEGATED_WORD = /지(않|못하|못해|못했|마)/;

/**
 * Splits a normalised text into words and punctuation and marks negated words. Korean:
 * "안/못 X" negates X, "X지 않다/못하다/마" negates X (and "X지않아" itself); English: a
 * negator negates the words after it until punctuation or "but". "Not tired" is then not read
 * as *tired*: the model learns what negated words mean, and a negation it has not seen reads as
 * nothing rather than as its opposite.
 */
export function tokenise(normalised: string): TextToken[] {
  const words = normalised.match(/[\p{L}\p{M}\p{N}'’_]+|[^\s\p{L}\p{M}\p{N}]+/gu) ?? [];
  const tokens: TextToken[] = [];
  let negator: TextToken | null = null;
  let englishNegation = false;
  let negateNext = false;
  for (const raw of words) {
    const word = raw.replace(/[’']/g, '');
    if (word.length === 0) continue;
    if (CLAUSE_END.test(word)) {
      englishNegation = false;
      negateNext = false;
      tokens.push({ word, negated: false, negator: false });
      continue;
    }
    const previous = tokens.at(-1);
    const negatesPrevious = KO_NEGATE_PREVIOUS.test(word) && previous !== undefined && /지$/.test(previous.word) && !previous.negator;
    if (negatesPrevious) previous.negated = true;
    const negatedByOther = englishNegation || negateNext;
    if (negatedByOther && negator) negator.negator = true;
    const token: TextToken = { word, negated: negatedByOther || KO_NEGATED_WORD.test(word), negator: negatesPrevious };
    tokens.push(token);
    negateNext = KO_NEGATE_NEXT.has(word);
    if (EN_NEGATORS.test(word) && !englishNegation) {
      englishNegation = true;
      negator = token;
    } else if (negateNext) {
      negator = token;
    }
  }
  return tokens;
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across platforms, and simple to port. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The feature strings of a text (before hashing): words and word n-grams, and character n-grams
 * over runs of words that share a negation state, with the spaces removed — so spacing does not
 * change them. Negated features carry a mark and hash apart from the plain ones. Exposed for
 * tests and the model card; the model reads {@link textFeatureIndices}.
 */
export function textFeatureStrings(text: string, spec: TextFeatureSpec): string[] {
  const tokens = tokenise(normaliseText(text)).filter((t) => !(spec.negation && t.negator));
  const out: string[] = [];
  const mark = (t: TextToken): string => (spec.negation && t.negated ? NEGATED : '');
  for (let i = 0; i < tokens.length; i++) {
    out.push(`w:${mark(tokens[i])}${tokens[i].word}`);
    for (let n = 2; n <= spec.wordNgramMax && i + n <= tokens.length; n++) {
      out.push(`w${n}:${tokens.slice(i, i + n).map((t) => mark(t) + t.word).join(' ')}`);
    }
  }
  let start = 0;
  while (start < tokens.length) {
    let end = start + 1;
    while (end < tokens.length && mark(tokens[end]) === mark(tokens[start])) end++;
    const letters = Array.from(tokens.slice(start, end).map((t) => t.word).join(''));
    const prefix = `c:${mark(tokens[start])}`;
    for (let n = spec.charNgramMin; n <= spec.charNgramMax; n++) {
      for (let i = 0; i + n <= letters.length; i++) out.push(prefix + letters.slice(i, i + n).join(''));
    }
    start = end;
  }
  return out;
}

/**
 * The embedding rows a text reads: each feature string hashed into [0, buckets), repeats kept
 * (a word said twice counts twice). Empty when the text has no letters or signs.
 */
export function textFeatureIndices(text: string, spec: TextFeatureSpec): Uint32Array {
  const strings = textFeatureStrings(text, spec);
  const out = new Uint32Array(strings.length);
  for (let i = 0; i < strings.length; i++) out[i] = hashString(strings[i]) % spec.buckets;
  return out;
}

/** Share of a text's letters that are Hangul (0 for a text without letters). */
export function hangulShare(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return 0;
  const hangul = letters.filter((c) => /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/.test(c)).length;
  return hangul / letters.length;
}
