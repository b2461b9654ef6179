import { DEFAULT_TEXT_FEATURES, type TextFeatureSpec } from '../../core/text/text-features.ts';

/**
 * The text model's training settings and the candidate configurations cross-validation chooses
 * among. Fixed before any cross-validation run; the model card and training-record.json repeat
 * them.
 */

/** Settings every candidate shares (PyTorch, train_text.py). */
export const TEXT_TRAINING = {
  epochs: 6,
  batchSize: 64,
  /** Adam (SparseAdam for the embedding table, AdamW for the heads), decayed linearly to 0. */
  learningRate: 0.01,
  /** AdamW's decoupled weight decay on the heads (the sparse embedding has none). */
  weightDecay: 1e-4,
  /** Weight of the valence/arousal squared errors beside the emotion cross-entropy. */
  affectLossWeight: 1,
  /**
   * Share of the loss weight the seed phrases (self-reports/seed.csv) have together, whatever
   * the corpus balance: {@link SEED_LOSS_SHARE_REASON}.
   */
  seedLossShare: 0.05,
};

/** Why {@link TEXT_TRAINING}.seedLossShare is what it is (fixed before any run with seed rows; not searched). */
export const SEED_LOSS_SHARE_REASON =
  'One value, fixed before any run with seed rows and not searched: 5 % of the loss weight. In the "equal" balance a seed row then weighs about 4 KOTE comments (14.0 against 3.5 in a cross-validation fold): it is clean, first-person and labelled with what its writer meant, where a KOTE target averages about eight annotators\' names about someone else\'s post; but the 105 phrases were written by the developers, so together they stay a twentieth of the loss and cannot outweigh the 35,000 corpus texts in the character n-grams they share.';

/**
 * Loss weight of each seed row (train_text.py `row_weights`): the corpus rows of a training set
 * weigh as many as they are, in all; the seed rows share `share / (1 − share)` of that.
 */
export function seedRowWeight(corpusRows: number, seedRows: number, share: number = TEXT_TRAINING.seedLossShare): number {
  return seedRows > 0 ? ((share / (1 - share)) * corpusRows) / seedRows : 0;
}

export const FOLDS = 5;

/** One candidate: the features' table size, the net's width, and how the two corpora weigh. */
export interface TextCandidate {
  name: string;
  buckets: number;
  dim: number;
  hidden: number;
  /** "equal": each corpus is half of the loss; "natural": every row weighs the same (NSMC ×6). */
  balance: 'equal' | 'natural';
  /** Each feature index of a training text is dropped with this probability (a text keeps at least one). */
  featureDropout: number;
}

/** At most four, in order of preference on a tie (see {@link SELECTION_RULE}). */
export const TEXT_CANDIDATES: TextCandidate[] = [
  { name: 'b16-d16', buckets: 1 << 16, dim: 16, hidden: 0, balance: 'equal', featureDropout: 0.2 },
  { name: 'b17-d8', buckets: 1 << 17, dim: 8, hidden: 0, balance: 'equal', featureDropout: 0.2 },
  { name: 'b16-d16-drop50', buckets: 1 << 16, dim: 16, hidden: 0, balance: 'equal', featureDropout: 0.5 },
  { name: 'b17-d8-drop50', buckets: 1 << 17, dim: 8, hidden: 0, balance: 'equal', featureDropout: 0.5 },
];

/**
 * How the candidate set came about and what was seen before each official run (the card repeats
 * it): the whole history — v1, v2, and the feeling-word layer added after v2.
 */
export const DEVELOPMENT_NOTE: readonly string[] = [
  'v1, smoke run: one smoke run of the pipeline was looked at before the official run: the first candidate alone, 5 folds, gave out-of-fold NSMC sign accuracy 0.758, Spearman 0.543, KOTE clear-comment sign agreement 0.806, UAR 0.269; the same model trained on every row read NSMC in-sample at 0.948 — it overfits. The candidate set was then redrawn once (a hidden-layer candidate, 2^16 × 16 + 32 ReLU units, was replaced by one with stronger feature dropout, 0.5).',
  'v1, official run (once, with candidates b16-d16, b17-d8, b16-d16-natural, b16-d16-drop50 and the rule below): b17-d8 was chosen with out-of-fold NSMC sign accuracy 0.765, Spearman 0.563, KOTE clear-comment sign agreement 0.832, UAR 0.265 (b16-d16 1.833, b17-d8 1.863, b16-d16-natural 1.776, b16-d16-drop50 1.856 by the rule\'s score). Read on first-person check-in words it was wrong in plain ways: "오늘 좀 지쳤어" (a bit worn out today) read happy with valence +0.29, "너무 지쳤어" angry with positive arousal, "ㅠㅠㅠㅠ 너무 슬프다" (so sad) happy at +0.93 (NSMC\'s sad movies are rated high).',
  'v2 changes, made before its run: (1) the feature code drops the negating word itself (안, 못, 않아, not …: TextToken.negator) — only the negated word\'s ¬-marked features remain; left in, "안" read as the negative reviews it mostly stands in; (2) 105 first-person phrases written by the developers (self-reports/seed.csv, KOTE names as labels, 18 of them negated) are training rows in every fold and in the final model, weighing 5 % of the loss together, and are never evaluated; (3) a check list of 30 other first-person sentences with expected signs (self-reports/check.csv) is read by the shipped model after training and reported, used for no choice; (4) one candidate replaced, stated before the run: b16-d16-natural (last in v1, 0.057 below the next, and "natural" weighs NSMC, which knows nothing of first-person feelings, six times as much) by b17-d8-drop50 — v1\'s choice with the runner-up\'s stronger feature dropout, which should also keep the net from leaning on a few seed n-grams. That replacement was drawn from v1\'s out-of-fold figures on the same folds, so b17-d8-drop50\'s v2 figure is not independent of that look. The selection rule is unchanged and uses the corpora only.',
  'v2, before the official run: a smoke run on a subset (the first 1,000 KOTE comments and the first 4,200 NSMC reviews, the b17-d8 candidate only, a scratch output folder) checked that the code ran end to end and that two final trainings from the same features wrote byte-identical weights; its figures (a subset, not comparable) informed no choice. v1\'s weights were also read on the check list for comparison (23/30 valence signs, 12/23 arousal signs right). The official run was then made once.',
  'v2, official run (once): b17-d8 was chosen again, with out-of-fold NSMC sign accuracy 0.765, Spearman 0.565, KOTE clear-comment sign agreement 0.836, UAR 0.261 (by the rule\'s score b16-d16 1.827, b17-d8 1.863, b16-d16-drop50 1.861, b17-d8-drop50 1.866: b17-d8-drop50 was 0.003 higher, within the rule\'s 0.005, and b17-d8 comes earlier). Read by the net alone, the check list got 23/30 valence and 14/23 arousal signs right, with plain misreadings: "비 오는 날이라 우울하네" (a rainy day, feeling low) at valence +0.77, "아침부터 너무 귀찮다" (can\'t be bothered since morning) at +0.37, and 9 of the 12 sentences written as low in energy with positive arousal.',
  'After v2, the feeling-word layer (the net unchanged): having seen those readings, the developer added to the app a list of 115 Korean feeling stems (지쳤, 피곤, 우울, 불안, 행복, 편안, ㅠㅠ, ㅋㅋ …; src/core/text/korean-feelings.ts), each read as KOTE names, negation-aware, and blended into the net\'s reading with weight 0.6 for one feeling word, 0.75 for two, at most 0.85. He chose the stems and the weights by reading a dozen of his own probe sentences; check.csv, written before the list, was not consulted while making it — but the net\'s misreadings of the check list prompted the list and the same developer wrote both, so the check list is not an independent test of it. The pipeline was then run again unchanged in data, folds, seeds and candidates (so the same choice and, as recorded under Training, the same weights), now also rebuilding the app reading (net + feeling words) for every corpus text from the net\'s out-of-fold outputs: its figures are reported beside the net\'s, and unsureBelow and the reliabilities fusion weighs the words by are fitted on it. The choice of configuration still rests on the net-alone figures.',
  'Feeling words, revised once after that run: its per-stem table showed stems whose meaning in general writing is not the writer\'s feeling costing the corpora most (ㅋㅋ, 기대 as in "기대 이하", 좋은 as in "좋은 배우", ㅠㅠ and 눈물 at moving films, 괜찮 as in "괜찮은데"). The developer took out 좋은, 기대, 눈물, 괜찮, ㅋㅋ and ㅎㅎ (laughter is left to the net), kept ㅠㅠ/ㅜㅜ (in a check-in, crying is sad), added 좋은데 (the predicate "it is good, but"), 기대돼/기대된 (the feeling, not the noun) and 설렌 (설렌다, which the check list showed the list missing — so that one sentence\'s pass is not evidence). Because the corpora\'s out-of-fold readings guided this revision, the app-reading figures are, like the net\'s, figures of a choice, not held-out. The pipeline then ran again (same data, folds, seeds, candidates and weights); the figures above are that run\'s.',
];

/**
 * The v1 model's reading of the check list, taken before the v2 run (for comparison; no choice
 * used it): v1's weights read through the v2 feature code — which differs from v1's own only in
 * "어제 잠을 못 자서 너무 졸려요", the one check sentence with a negator.
 */
export const V1_CHECK_LIST = { valence: { right: 23, of: 30 }, arousal: { right: 12, of: 23 } };

export const SELECTION_RULE =
  'Stated before any cross-validation run: the candidate with the highest sum of three out-of-fold figures — NSMC sign accuracy (rating ≤ 4 vs ≥ 7), KOTE clear-comment valence-sign agreement and KOTE emotion UAR — ships; a candidate earlier in the list within 0.005 of that sum is preferred (smaller or simpler first).';

/** The selection score of {@link SELECTION_RULE}. */
export function selectionScore(f: { nsmcSignAccuracy: number; koteSignAgreement: number; koteUar: number }): number {
  return f.nsmcSignAccuracy + f.koteSignAgreement + f.koteUar;
}

/** Applies {@link SELECTION_RULE} to scores listed in candidate order; returns the chosen index. */
export function chooseCandidate(scores: readonly number[], tolerance = 0.005): number {
  const best = Math.max(...scores);
  return scores.findIndex((s) => s >= best - tolerance);
}

/** The feature spec of a candidate: the app's default n-grams, with the candidate's table size. */
export function candidateFeatures(c: Pick<TextCandidate, 'buckets'>): TextFeatureSpec {
  return { ...DEFAULT_TEXT_FEATURES, buckets: c.buckets };
}

/** Where a spec's exported features live in the cache (one folder per distinct spec). */
export function featureKey(spec: TextFeatureSpec): string {
  return `b${Math.log2(spec.buckets)}-c${spec.charNgramMin}${spec.charNgramMax}-w${spec.wordNgramMax}${spec.negation ? '-neg' : ''}`;
}

/** Weights file size of a candidate, float16. */
export function candidateBytes(c: TextCandidate, classes = 8): number {
  const top = c.hidden > 0 ? c.hidden : c.dim;
  const elements = c.buckets * c.dim + (c.hidden > 0 ? c.hidden * c.dim + c.hidden : 0) + classes * top + classes + 2 * top + 2;
  return elements * 2;
}

/** Issue 24's size budget for the model. */
export const WEIGHTS_BUDGET_BYTES = 3_000_000;

/** An emotion whose KOTE support (comments whose target's argmax it is) is below this gets reliability 0. */
export const MIN_RELIABILITY_SUPPORT = 30;
