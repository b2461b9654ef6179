import { EMOTION_COORDINATES } from '../core/emotion/emotions.ts';
import type { ModalityReading, ModalityReliability } from '../core/emotion/fusion.ts';
import { PERSONAL_LABELS, answersFor, calibrateReading, examplesFor, senseErrors, type PendingReading } from '../core/emotion/personal-answers.ts';
import { fitPersonalCalibration, isCalibrationActive, type PersonalCalibration } from '../core/emotion/personal-calibration.ts';
import { personalReliability, personalWeights, type PersonalWeights } from '../core/emotion/personal-weights.ts';
import type { PersonalAnswer, PersonalModality } from '../core/library/personal.ts';

/** Where answers are kept (the library database; tests pass a fake). */
export interface PersonalAnswerStore {
  listAnswers(): Promise<PersonalAnswer[]>;
  putAnswers(answers: readonly PersonalAnswer[]): Promise<void>;
  clearAnswers(): Promise<void>;
}

const SENSES: readonly PersonalModality[] = ['voice', 'face', 'text'];

/**
 * Norae learns this listener: every answer they give (a correction, "how do you feel now?", a
 * re-check) close in time to a sensor reading becomes a labelled example; per sense a small
 * calibration is fitted on the device ({@link fitPersonalCalibration}) and used only while its
 * leave-one-out check says it helps, and fusion weighs each sense by how far it agreed with them.
 * Answers live in IndexedDB beside the mood history, are exported and deleted with it.
 */
export class PersonalState {
  /** Every stored answer, oldest first. */
  answers = $state.raw<PersonalAnswer[]>([]);
  calibration = $state.raw<Partial<Record<PersonalModality, PersonalCalibration>>>({});
  weights = $state.raw<PersonalWeights>({});
  /** Set when an answer could not be stored: it still tunes this visit's readings. */
  saveProblem = $state<string | null>(null);

  readonly #store: () => PersonalAnswerStore;
  #pending: PendingReading[] = [];
  #loaded = false;

  constructor(store: () => PersonalAnswerStore) {
    this.#store = store;
  }

  async load(): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    this.answers = (await this.#store().listAnswers()).sort((a, b) => a.answeredAt - b.answeredAt);
    this.#refit();
  }

  /** Answers the given sense's calibration is fitted on, when it is in effect (else 0). */
  tunedFrom(modality: PersonalModality): number {
    const c = this.calibration[modality];
    return c && isCalibrationActive(c) ? c.exampleCount : 0;
  }

  /**
   * A sense read the listener: remembered for an answer that may follow, and returned with the
   * listener's calibration applied (unchanged while none is in effect).
   */
  read(modality: PersonalModality, reading: ModalityReading, at: number): ModalityReading {
    this.#pending = [...this.#pending.filter((p) => at - p.readAt < 24 * 3600_000), { modality, readAt: at, reading }];
    return calibrateReading(this.calibration[modality] ?? null, reading);
  }

  /**
   * Which sense has agreed with this listener clearly more often (its fusion weight is at least
   * 1.3× the other's, each with 3 answers or more), or null: what the check-in says about it.
   */
  get leaning(): { more: 'voice' | 'face'; less: 'voice' | 'face' } | null {
    const v = this.weights.voice;
    const f = this.weights.face;
    if (!v || !f || v.count < 3 || f.count < 3) return null;
    const ratio = Math.sqrt(v.valence * v.arousal) / Math.sqrt(f.valence * f.arousal);
    if (ratio >= 1.3) return { more: 'voice', less: 'face' };
    if (ratio <= 1 / 1.3) return { more: 'face', less: 'voice' };
    return null;
  }

  /** This sense's reliability for fusion, tilted by how far it has agreed with this listener. */
  reliability(modality: PersonalModality, base: ModalityReliability): ModalityReliability {
    return personalReliability(base, this.weights[modality]);
  }

  /** The listener said where they are: the newest readings before it (of `only` that sense, if given) become examples. */
  async answered(point: { valence: number; arousal: number }, source: PersonalAnswer['source'], at: number, only?: PersonalModality): Promise<void> {
    const fresh = answersFor(only ? this.#pending.filter((p) => p.modality === only) : this.#pending, point, at, source);
    if (fresh.length === 0) return;
    const ids = new Set(fresh.map((a) => a.id));
    this.answers = [...this.answers.filter((a) => !ids.has(a.id)), ...fresh];
    this.#refit();
    try {
      await this.#store().putAnswers(fresh);
      this.saveProblem = null;
    } catch (error) {
      console.error('Norae: could not store your answer on this device', error);
      this.saveProblem = (error as Error)?.message ?? String(error);
    }
  }

  /**
   * A calibration sentence was read: the listener read it in a neutral voice, so its reading is
   * an example of their neutral voice (the plane's centre).
   */
  async calibrationSentence(reading: ModalityReading, at: number): Promise<void> {
    this.read('voice', reading, at);
    await this.answered(EMOTION_COORDINATES.neutral, 'calibration', at, 'voice');
  }

  /** Forgets every answer: readings are the shipped nets' again. */
  async reset(): Promise<void> {
    await this.#store().clearAnswers();
    this.forgotten();
  }

  /** The answers are gone (reset, or the mood history was deleted with them). */
  forgotten(): void {
    this.answers = [];
    this.#pending = [];
    this.#refit();
  }

  #refit(): void {
    const calibration: Partial<Record<PersonalModality, PersonalCalibration>> = {};
    const errors: Parameters<typeof personalWeights>[0] = {};
    for (const m of SENSES) {
      const examples = examplesFor(this.answers, m);
      if (examples.length === 0) continue;
      calibration[m] = fitPersonalCalibration(PERSONAL_LABELS, examples);
      errors[m] = senseErrors(examples, calibration[m] ?? null);
    }
    this.calibration = calibration;
    this.weights = personalWeights(errors);
  }
}
