import type { PersonalAnswer, PersonalModality } from '../library/personal.ts';
import { EMOTIONS, EMOTION_COORDINATES, normaliseDistribution, type EmotionDistribution, type EmotionLabel } from './emotions.ts';
import type { ModalityReading } from './fusion.ts';
import { applyPersonalCalibration, labelTargetFromPoint, type PersonalCalibration, type PersonalExample } from './personal-calibration.ts';
import type { SenseErrors } from './personal-weights.ts';

/** The classes personal calibration works on: those both nets can read (contempt they cannot). */
export const PERSONAL_LABELS: readonly EmotionLabel[] = EMOTIONS.filter((l) => l !== 'contempt');

/** An answer counts for a reading taken at most this long before it (ms). */
export const ANSWER_WINDOW_MS = 10 * 60 * 1000;
/** The newest answers per sense that calibration learns from (older ones are kept, not used). */
export const MAX_EXAMPLES_PER_SENSE = 200;

/** A sensor reading waiting for the listener's word. */
export interface PendingReading {
  modality: PersonalModality;
  /** Epoch ms. */
  readAt: number;
  /** As the net read it, before personal calibration. */
  reading: ModalityReading;
}

/**
 * The labelled examples an answer makes: one per reading taken within {@link ANSWER_WINDOW_MS}
 * before it, the newest reading of each sense only (the one the listener was answering about).
 */
export function answersFor(pending: readonly PendingReading[], answer: { valence: number; arousal: number }, answeredAt: number, source: PersonalAnswer['source']): PersonalAnswer[] {
  const newest = new Map<PersonalModality, PendingReading>();
  for (const p of pending) {
    const age = answeredAt - p.readAt;
    if (age < 0 || age > ANSWER_WINDOW_MS) continue;
    const current = newest.get(p.modality);
    if (!current || p.readAt > current.readAt) newest.set(p.modality, p);
  }
  return [...newest.values()].map((p) => ({
    id: `${p.modality}:${p.readAt}`,
    modality: p.modality,
    readAt: p.readAt,
    answeredAt,
    labels: [...PERSONAL_LABELS],
    probabilities: PERSONAL_LABELS.map((l) => p.reading.distribution[l] ?? 0),
    valence: p.reading.valence,
    arousal: p.reading.arousal,
    answer: { valence: answer.valence, arousal: answer.arousal },
    source,
  }));
}

/** One sense's answers as calibration examples (newest {@link MAX_EXAMPLES_PER_SENSE}, current label list). */
export function examplesFor(answers: readonly PersonalAnswer[], modality: PersonalModality): PersonalExample[] {
  const labels = PERSONAL_LABELS.join();
  return answers
    .filter((a) => a.modality === modality && a.labels.join() === labels)
    .sort((a, b) => a.readAt - b.readAt)
    .slice(-MAX_EXAMPLES_PER_SENSE)
    .map((a) => ({
      reading: { probabilities: a.probabilities, valence: a.valence, arousal: a.arousal },
      valence: a.answer.valence,
      arousal: a.answer.arousal,
      labelTarget: labelTargetFromPoint(a.answer, PERSONAL_LABELS, EMOTION_COORDINATES),
    }));
}

/** How far a sense's calibrated readings were from each answer (for {@link personalWeights}). */
export function senseErrors(examples: readonly PersonalExample[], calibration: PersonalCalibration | null): SenseErrors {
  const calibrated = examples.map((e) => applyPersonalCalibration(calibration, e.reading));
  return {
    valence: calibrated.map((r, i) => r.valence - examples[i].valence),
    arousal: calibrated.map((r, i) => r.arousal - examples[i].arousal),
  };
}

/**
 * A modality reading with the listener's calibration applied: the distribution over the nets'
 * classes re-weighted, valence and arousal mapped; confidence becomes the new top probability.
 * The `unsure` flag is the net's own and is kept.
 */
export function calibrateReading(calibration: PersonalCalibration | null, reading: ModalityReading): ModalityReading {
  if (!calibration || !(calibration.affectActive || calibration.classActive)) return reading;
  const out = applyPersonalCalibration(calibration, {
    probabilities: PERSONAL_LABELS.map((l) => reading.distribution[l] ?? 0),
    valence: reading.valence,
    arousal: reading.arousal,
  });
  const scores: Partial<EmotionDistribution> = {};
  PERSONAL_LABELS.forEach((l, i) => (scores[l] = out.probabilities[i]));
  const distribution = normaliseDistribution(scores);
  return { ...reading, distribution, valence: out.valence, arousal: out.arousal, confidence: calibration.classActive ? Math.max(...out.probabilities) : reading.confidence };
}
