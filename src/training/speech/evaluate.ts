import { mulberry32 } from '../../core/random.ts';
import { EMOTIONS } from '../../core/emotion/emotions.ts';
import { isSpeechInputError } from '../../core/speech/speech-error.ts';
import { emptyVoiceProfile, mergeVoiceProfiles, profileWeightingOf, type VoiceProfileStats } from '../../core/speech/voice-profile.ts';
import type { AnalysedUtterance, SpeechEmotionPredictor } from '../../adapters/ml/speech-emotion-model.ts';
import type { NodeAudioDecoder } from './decode-audio.ts';
import { csvField, type ManifestRow } from './manifest.ts';
import { classificationReport, expectedCalibrationError, type ClassificationReport } from '../metrics.ts';

/** One evaluated manifest row. */
export interface EvaluatedRow {
  file: string;
  label: string;
  speaker: string;
  predicted: string;
  /** Probability per emotion, in EMOTIONS order (all eight; unsupported ones 0). */
  probabilities: number[];
  /** The model's valence and arousal outputs (−1…1). */
  valence: number;
  arousal: number;
  confidence: number;
  unsure: boolean;
  /** True when a mature voice profile (of the speaker's other clips) normalised the reading. */
  adapted: boolean;
  /** Utterances in the profile that read this clip (0 when cold): weighted, as the app counts them. */
  profileUtterances: number;
  /** `--profile one-emotion`: the emotion (label) of the other clips the profile was made of. */
  profileEmotion?: string;
  /** Why the file could not be evaluated ('' when it was). */
  error: string;
  /** Feature extraction + model time, ms. */
  milliseconds: number;
}

/** How well the valence/arousal outputs land on the right side of the plane, and calibration. */
export interface AffectReport {
  /** Share of rows whose arousal output has the sign of the label's target arousal (high vs low). */
  arousalAccuracy: number;
  /** Share of rows with a non-neutral target valence whose valence output has its sign. */
  valenceAccuracy: number;
  arousalCount: number;
  valenceCount: number;
  /** Expected calibration error of the top probability over rows with a label the model knows. */
  ece: number;
  /** Share of readings flagged unsure, and how often those and the rest were right. */
  unsureShare: number;
  accuracyUnsure: number | null;
  accuracySure: number | null;
}

export interface ManifestEvaluation {
  rows: EvaluatedRow[];
  adapted: boolean;
  /** Scored over rows whose label the model knows. */
  report: ClassificationReport;
  affect: AffectReport;
  /** Rows read with a mature profile (adapted), of those evaluated. */
  adaptedCount: number;
  /** Labels present in the manifest that the model does not know, with counts (not scored). */
  skippedLabels: Record<string, number>;
  /** For those rows: what the model predicted instead (label → predicted → count). */
  skippedPredictions: Record<string, Record<string, number>>;
  errorCount: number;
  meanMilliseconds: number;
}

/**
 * Each clip's profile made of every *other* clip of its group: the merge of the contributions
 * before it and after it (prefix and suffix merges, so n clips cost O(n) merges). A clip is never
 * part of the profile that reads it.
 */
export function leaveOneOutProfiles(contributions: readonly VoiceProfileStats[], empty: VoiceProfileStats): VoiceProfileStats[] {
  const n = contributions.length;
  const prefix: VoiceProfileStats[] = [empty];
  for (let i = 0; i < n; i++) prefix.push(mergeVoiceProfiles(prefix[i], contributions[i]));
  const suffix: VoiceProfileStats[] = new Array(n + 1);
  suffix[n] = empty;
  for (let i = n - 1; i >= 0; i--) suffix[i] = mergeVoiceProfiles(contributions[i], suffix[i + 1]);
  return contributions.map((_, i) => mergeVoiceProfiles(prefix[i], suffix[i + 1]));
}

/** What the profiles of `evaluateRows({ adapt: true })` are made of. */
export type ProfileMakeUp = 'all' | 'one-emotion';


/**
 * Evaluates `rows` with the shipped model through the app's own feature code and loader.
 * Cold: each clip alone (population normalisation). Adapted: for each `speaker`, each clip is
 * read with a voice profile merged from that speaker's *other* clips in the manifest (labels
 * unused), built exactly as the app builds it: every clip is first read cold, and each enters the
 * profile with the weight its cold reading gives (`SpeechEmotionResult.profileContribution`,
 * metadata `adaptation.profileWeighting`); the model's maturity rule (on the weighted count) then
 * decides, as in the app, whether the profile is used. `profile: 'one-emotion'`: instead, each
 * clip is read `oneEmotionDraws` times (2), each with a profile of the speaker's other clips of a
 * single label (at least 2 of them), the label drawn at random (seeded) among the speaker's
 * labels — not necessarily the clip's own — as cross-validation does (train.py); the row records
 * it (`profileEmotion`). Rows without a speaker stay cold. A file that fails (unreadable, silent,
 * too short) gets an error row; the run goes on.
 */
async function analyseFile(path: string, predictor: SpeechEmotionPredictor, decoder: NodeAudioDecoder): Promise<AnalysedUtterance> {
  const audio = await decoder.decodeFile(path);
  return predictor.analyse(audio.samples, audio.sampleRateHz);
}

export async function evaluateRows(opts: {
  rows: readonly ManifestRow[];
  predictor: SpeechEmotionPredictor;
  decoder: NodeAudioDecoder;
  adapt: boolean;
  /** Adapted profiles of all other clips (default) or of one other emotion. */
  profile?: ProfileMakeUp;
  /** Seed of the one-emotion draws (default 20240601). */
  seed?: number;
  /** One-emotion profiles per clip (default 2). */
  oneEmotionDraws?: number;
  log?: (line: string) => void;
  /**
   * Analysed clips by path, shared between runs over the same rows (the CI check reads every
   * corpus cold and then adapted: decoding and feature extraction are the same both times).
   */
  analysedCache?: Map<string, AnalysedUtterance>;
}): Promise<ManifestEvaluation> {
  const { rows, predictor, decoder, adapt } = opts;
  const oneEmotion = adapt && opts.profile === 'one-emotion';
  const draws = opts.oneEmotionDraws ?? 2;
  const random = mulberry32(opts.seed ?? 20240601);
  const weighted = profileWeightingOf(predictor.metadata).kind !== 'none';
  const results: EvaluatedRow[] = new Array(rows.length);
  const extra: EvaluatedRow[] = [];
  // Groups: one per speaker when adapting (their profiles need all their clips), else one per row.
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = adapt && row.speaker ? `speaker:${row.speaker}` : `row:${i}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  let done = 0;
  for (const indices of groups.values()) {
    const analysed: { index: number; utterance: AnalysedUtterance; ms: number }[] = [];
    for (const i of indices) {
      const started = performance.now();
      try {
        const utterance = opts.analysedCache?.get(rows[i].path) ?? (await analyseFile(rows[i].path, predictor, decoder));
        opts.analysedCache?.set(rows[i].path, utterance);
        analysed.push({ index: i, utterance, ms: performance.now() - started });
      } catch (error) {
        results[i] = errorRow(rows[i], error);
      }
    }
    const speakerProfiles = adapt && Boolean(rows[indices[0]].speaker);
    // The app's contributions: weighted by each clip's cold reading (a cold pass first, unless
    // the weighting is none, where every weight is 1).
    const contributions: VoiceProfileStats[] = [];
    for (const { utterance } of analysed) {
      contributions.push(speakerProfiles && weighted ? (await predictor.predictAnalysed(utterance)).profileContribution : utterance.profileContribution);
    }
    const empty = emptyVoiceProfile(predictor.metadata);
    // Per clip: the profiles that read it (one, or one per one-emotion draw) and the draw's label.
    const plans: { profile: VoiceProfileStats | null; emotion?: string }[][] = analysed.map(() => [{ profile: null }]);
    if (speakerProfiles && !oneEmotion) {
      leaveOneOutProfiles(contributions, empty).forEach((p, k) => (plans[k] = [{ profile: p }]));
    } else if (oneEmotion && speakerProfiles) {
      analysed.forEach((_, k) => {
        const byLabel = new Map<string, number[]>();
        analysed.forEach(({ index: j }, m) => {
          if (m === k) return;
          const list = byLabel.get(rows[j].label) ?? [];
          list.push(m);
          byLabel.set(rows[j].label, list);
        });
        const choices = [...byLabel.keys()].filter((l) => (byLabel.get(l) ?? []).length >= 2).sort();
        if (choices.length === 0) return;
        plans[k] = Array.from({ length: draws }, () => {
          const emotion = choices[Math.floor(random() * choices.length)];
          const profile = (byLabel.get(emotion) ?? []).reduce((p, m) => mergeVoiceProfiles(p, contributions[m]), empty);
          return { profile, emotion };
        });
      });
    }
    for (const [k, { index: i, utterance, ms }] of analysed.entries()) {
      for (const [d, plan] of plans[k].entries()) {
        const started = performance.now();
        let row: EvaluatedRow;
        try {
          const result = await predictor.predictAnalysed(utterance, plan.profile);
          row = {
            file: rows[i].file,
            label: rows[i].label,
            speaker: rows[i].speaker,
            predicted: result.top,
            probabilities: EMOTIONS.map((e) => result.distribution[e]),
            valence: result.valence,
            arousal: result.arousal,
            confidence: result.confidence,
            unsure: result.unsure,
            adapted: result.adapted,
            profileUtterances: result.adapted ? (plan.profile?.utteranceCount ?? 0) : 0,
            ...(plan.emotion !== undefined ? { profileEmotion: plan.emotion } : {}),
            error: '',
            milliseconds: ms + performance.now() - started,
          };
        } catch (error) {
          row = errorRow(rows[i], error);
        }
        if (d === 0) results[i] = row;
        else extra.push(row);
      }
    }
    done += indices.length;
    if (opts.log && groups.size > 1 && done % 200 < indices.length) opts.log(`  evaluated ${done}/${rows.length}`);
  }
  // One-emotion draws beyond the first: extra rows (every draw is scored, as in cross-validation).
  results.push(...extra);
  const known = new Set<string>(predictor.recognisedLabels);
  const scored = results.filter((r) => !r.error && known.has(r.label));
  const skippedLabels: Record<string, number> = {};
  const skippedPredictions: Record<string, Record<string, number>> = {};
  for (const r of results) {
    if (known.has(r.label)) continue;
    skippedLabels[r.label] = (skippedLabels[r.label] ?? 0) + 1;
    if (!r.error) {
      const byPrediction = (skippedPredictions[r.label] ??= {});
      byPrediction[r.predicted] = (byPrediction[r.predicted] ?? 0) + 1;
    }
  }
  const ok = results.filter((r) => !r.error);
  return {
    rows: results,
    adapted: adapt,
    report: classificationReport(predictor.recognisedLabels, scored),
    affect: affectReport(scored, predictor.metadata.affectTargets),
    adaptedCount: ok.filter((r) => r.adapted).length,
    skippedLabels,
    skippedPredictions,
    errorCount: results.length - ok.length,
    meanMilliseconds: ok.length ? ok.reduce((s, r) => s + r.milliseconds, 0) / ok.length : 0,
  };
}

/**
 * Arousal and valence accuracy of the model's own outputs against the labels' target points
 * (`affectTargets`: the sign says high or low arousal, pleasant or not), and calibration.
 */
export function affectReport(rows: readonly EvaluatedRow[], targets: Record<string, [number, number]>): AffectReport {
  let arousalRight = 0;
  let arousalCount = 0;
  let valenceRight = 0;
  let valenceCount = 0;
  for (const r of rows) {
    const target = targets[r.label];
    if (!target) continue;
    arousalCount++;
    if (r.arousal > 0 === target[1] > 0) arousalRight++;
    if (Math.abs(target[0]) >= 0.1) {
      valenceCount++;
      if (r.valence > 0 === target[0] > 0) valenceRight++;
    }
  }
  const unsure = rows.filter((r) => r.unsure);
  const sure = rows.filter((r) => !r.unsure);
  const accuracy = (list: readonly EvaluatedRow[]) => (list.length > 0 ? list.filter((r) => r.predicted === r.label).length / list.length : null);
  return {
    arousalAccuracy: arousalCount > 0 ? arousalRight / arousalCount : 0,
    valenceAccuracy: valenceCount > 0 ? valenceRight / valenceCount : 0,
    arousalCount,
    valenceCount,
    ece: expectedCalibrationError(rows.map((r) => ({ confidence: r.confidence, correct: r.predicted === r.label }))),
    unsureShare: rows.length > 0 ? unsure.length / rows.length : 0,
    accuracyUnsure: accuracy(unsure),
    accuracySure: accuracy(sure),
  };
}

function errorRow(row: ManifestRow, error: unknown): EvaluatedRow {
  const message = isSpeechInputError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return {
    file: row.file,
    label: row.label,
    speaker: row.speaker,
    predicted: '',
    probabilities: [],
    valence: Number.NaN,
    arousal: Number.NaN,
    confidence: Number.NaN,
    unsure: false,
    adapted: false,
    profileUtterances: 0,
    error: message,
    milliseconds: 0,
  };
}

/**
 * `file,label,predicted,p_neutral,…,p_contempt,valence,arousal,confidence,unsure,adapted,profile_utterances,error`
 * (numbers to 6 decimals; empty for error rows; `profile_utterances` the weighted count, to 4
 * decimals), plus `profile_emotion` when rows were read with one-emotion profiles.
 */
export function predictionsCsv(rows: readonly EvaluatedRow[]): string {
  const withEmotion = rows.some((r) => r.profileEmotion !== undefined);
  const header = ['file', 'label', 'predicted', ...EMOTIONS.map((e) => `p_${e}`), 'valence', 'arousal', 'confidence', 'unsure', 'adapted', 'profile_utterances', 'error', ...(withEmotion ? ['profile_emotion'] : [])];
  const lines = [header.join(',')];
  for (const r of rows) {
    const numbers = r.error ? [...EMOTIONS.map(() => ''), '', '', ''] : [...r.probabilities, r.valence, r.arousal, r.confidence].map((p) => p.toFixed(6));
    const flags = r.error ? ['', '', ''] : [r.unsure ? '1' : '0', r.adapted ? '1' : '0', String(Math.round(r.profileUtterances * 1e4) / 1e4)];
    lines.push([csvField(r.file), csvField(r.label), csvField(r.predicted), ...numbers, ...flags, csvField(r.error), ...(withEmotion ? [csvField(r.profileEmotion ?? '')] : [])].join(','));
  }
  return `${lines.join('\n')}\n`;
}
