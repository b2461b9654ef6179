import { EMOTIONS } from '../../core/emotion/emotions.ts';
import { isSpeechInputError } from '../../core/speech/speech-error.ts';
import { emptyVoiceProfile, mergeVoiceProfiles, type VoiceProfileStats } from '../../core/speech/voice-profile.ts';
import type { AnalysedUtterance, SpeechEmotionPredictor } from '../../adapters/ml/speech-emotion-model.ts';
import type { NodeAudioDecoder } from './decode-audio.ts';
import { csvField, type ManifestRow } from './manifest.ts';
import { classificationReport, type ClassificationReport } from '../metrics.ts';

/** One evaluated manifest row. */
export interface EvaluatedRow {
  file: string;
  label: string;
  speaker: string;
  predicted: string;
  /** Probability per emotion, in EMOTIONS order (all eight; unsupported ones 0). */
  probabilities: number[];
  /** Why the file could not be evaluated ('' when it was). */
  error: string;
  /** Feature extraction + model time, ms. */
  milliseconds: number;
}

export interface ManifestEvaluation {
  rows: EvaluatedRow[];
  adapted: boolean;
  /** Scored over rows whose label the model knows. */
  report: ClassificationReport;
  /** Labels present in the manifest that the model does not know, with counts (not scored). */
  skippedLabels: Record<string, number>;
  /** For those rows: what the model predicted instead (label → predicted → count). */
  skippedPredictions: Record<string, Record<string, number>>;
  errorCount: number;
  meanMilliseconds: number;
}

/**
 * Evaluates `rows` with the shipped model through the app's own feature code and loader.
 * Cold: each clip alone (population normalisation). Adapted: for each `speaker`, a voice
 * profile merged from all of that speaker's clips in the manifest (labels unused), exactly as
 * the app accumulates one; rows without a speaker stay cold. A file that fails (unreadable,
 * silent, too short) gets an error row; the run goes on.
 */
export async function evaluateRows(opts: {
  rows: readonly ManifestRow[];
  predictor: SpeechEmotionPredictor;
  decoder: NodeAudioDecoder;
  adapt: boolean;
  log?: (line: string) => void;
}): Promise<ManifestEvaluation> {
  const { rows, predictor, decoder, adapt } = opts;
  const results: EvaluatedRow[] = new Array(rows.length);
  // Groups: one per speaker when adapting (their profile needs all their clips), else one per row.
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = adapt && row.speaker ? `speaker:${row.speaker}` : `row:${i}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  let done = 0;
  for (const indices of groups.values()) {
    const analysed = new Map<number, { utterance: AnalysedUtterance; ms: number }>();
    for (const i of indices) {
      const started = performance.now();
      try {
        const audio = await decoder.decodeFile(rows[i].path);
        analysed.set(i, { utterance: predictor.analyse(audio.samples, audio.sampleRateHz), ms: performance.now() - started });
      } catch (error) {
        results[i] = errorRow(rows[i], error);
      }
    }
    let profile: VoiceProfileStats | null = null;
    if (adapt && rows[indices[0]].speaker) {
      profile = emptyVoiceProfile(predictor.metadata);
      for (const { utterance } of analysed.values()) profile = mergeVoiceProfiles(profile, utterance.profileContribution);
    }
    for (const [i, { utterance, ms }] of analysed) {
      const started = performance.now();
      try {
        const result = await predictor.predictAnalysed(utterance, profile);
        results[i] = {
          file: rows[i].file,
          label: rows[i].label,
          speaker: rows[i].speaker,
          predicted: result.top,
          probabilities: EMOTIONS.map((e) => result.distribution[e]),
          error: '',
          milliseconds: ms + performance.now() - started,
        };
      } catch (error) {
        results[i] = errorRow(rows[i], error);
      }
    }
    done += indices.length;
    if (opts.log && groups.size > 1 && done % 200 < indices.length) opts.log(`  evaluated ${done}/${rows.length}`);
  }
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
    skippedLabels,
    skippedPredictions,
    errorCount: results.length - ok.length,
    meanMilliseconds: ok.length ? ok.reduce((s, r) => s + r.milliseconds, 0) / ok.length : 0,
  };
}

function errorRow(row: ManifestRow, error: unknown): EvaluatedRow {
  const message = isSpeechInputError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return { file: row.file, label: row.label, speaker: row.speaker, predicted: '', probabilities: [], error: message, milliseconds: 0 };
}

/** `file,label,predicted,p_neutral,…,p_contempt,error` (probabilities to 6 decimals). */
export function predictionsCsv(rows: readonly EvaluatedRow[]): string {
  const header = ['file', 'label', 'predicted', ...EMOTIONS.map((e) => `p_${e}`), 'error'];
  const lines = [header.join(',')];
  for (const r of rows) {
    const probabilities = r.error ? EMOTIONS.map(() => '') : r.probabilities.map((p) => p.toFixed(6));
    lines.push([csvField(r.file), csvField(r.label), csvField(r.predicted), ...probabilities, csvField(r.error)].join(','));
  }
  return `${lines.join('\n')}\n`;
}
