import Sentiment from 'sentiment';
import { AROUSAL_WORDS } from '../../core/text/arousal-words.ts';
import { findFeelingWords } from '../../core/text/korean-feelings.ts';
import { normaliseText, textFeatureIndices, tokenise } from '../../core/text/text-features.ts';
import { parseTextModelMetadata, runTextModel, splitTextWeights, type TextModelMetadata, type TextModelWeights } from '../../core/text/text-model.ts';
import { emptyTextReading, languageOf, readingFromLexicon, readingFromModel, withFeelingWords, type LexiconHit, type TextReading } from '../../core/text/text-reading.ts';

/** The text model's files, already in memory (Node evaluation, tests) or fetched by the app. */
export interface TextModelFiles {
  /** Parsed metadata.json. */
  metadata: unknown;
  /** weights.bin's bytes. */
  weights: ArrayBuffer | Uint8Array;
}

/** AFINN-165 with negation (the `sentiment` package, MIT): a maintained English valence lexicon. */
const afinn = new Sentiment();

/** English: AFINN valence per word (negation flips it, as `sentiment` scores) and Norae's arousal words. */
function englishHits(text: string): { hits: LexiconHit[]; exclamations: number } {
  const result = afinn.analyze(text);
  const hits: LexiconHit[] = result.calculation.map((entry) => {
    const [word, valence] = Object.entries(entry)[0] as [string, number];
    return { word, valence };
  });
  const tokens = result.tokens;
  tokens.forEach((word, i) => {
    const arousal = AROUSAL_WORDS[word];
    if (arousal === undefined) return;
    const negated = i > 0 && /^(not|no|never|dont|don't|cant|can't|isnt|isn't|arent|aren't|wasnt|wasn't)$/.test(tokens[i - 1]);
    hits.push({ word, arousal: negated ? 0 : arousal });
  });
  return { hits, exclamations: (text.match(/!/g) ?? []).length };
}

/**
 * Reads a few typed words: Korean through Norae's own net (models/text-emotion), English through
 * the AFINN lexicon and Norae's arousal words, anything else not at all (a reading that says so).
 * Synchronous and fast (well under a millisecond for a sentence), so it runs as the listener types.
 */
export class TextEmotionReader {
  readonly metadata: TextModelMetadata;
  readonly #weights: TextModelWeights;

  private constructor(metadata: TextModelMetadata, weights: TextModelWeights) {
    this.metadata = metadata;
    this.#weights = weights;
  }

  /** Checks the metadata against this code and the weights against the metadata (throws `TextModelContractError`). */
  static fromFiles(files: TextModelFiles): TextEmotionReader {
    const metadata = parseTextModelMetadata(files.metadata);
    return new TextEmotionReader(metadata, splitTextWeights(metadata, files.weights));
  }

  read(text: string): TextReading {
    const language = languageOf(text);
    if (language === 'ko') {
      const net = readingFromModel(this.metadata, runTextModel(this.metadata, this.#weights, textFeatureIndices(text, this.metadata.features)));
      return withFeelingWords(net, findFeelingWords(tokenise(normaliseText(text))));
    }
    if (language === 'en') {
      const { hits, exclamations } = englishHits(text);
      return readingFromLexicon(hits, exclamations, this.metadata.reliability);
    }
    return emptyTextReading(language);
  }
}

/** Where the app serves the text model (precached by the service worker). */
export const TEXT_MODEL_URL = '/models/text-emotion/';

async function fetchOk(fetcher: typeof fetch, url: string): Promise<Response> {
  const response = await fetcher(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  return response;
}

/** Fetches metadata.json and weights.bin from `baseUrl` (a folder URL on the app's own origin). */
export async function fetchTextModelFiles(baseUrl: string = TEXT_MODEL_URL, fetcher: typeof fetch = fetch): Promise<TextModelFiles> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const [metadata, weights] = await Promise.all([
    fetchOk(fetcher, `${base}metadata.json`).then((r) => r.json() as Promise<unknown>),
    fetchOk(fetcher, `${base}weights.bin`).then((r) => r.arrayBuffer()),
  ]);
  return { metadata, weights };
}
