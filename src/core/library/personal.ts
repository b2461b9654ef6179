import type { AffectPoint, MoodId } from '../emotion/circumplex.ts';
import type { EmotionDistribution, EmotionLabel } from '../emotion/emotions.ts';
import type { SongId } from './song.ts';

/** The listener's voice statistics, kept only on this device (see the voice model card). */
export interface StoredVoiceProfile {
  id: 'voice';
  /** Opaque JSON statistics (VoiceProfileStats); its featureKey says which model layout it fits. */
  stats: unknown;
  recordings: number;
  /** Whether the short calibration (neutral sentences) was done. */
  calibrated: boolean;
  /** Epoch milliseconds. */
  updatedAt: number;
}

/** What the listener told us about a song; their placement overrides the analyser's. */
export interface SongFeedback {
  id: SongId;
  /** true liked, false disliked, null neither. */
  liked: boolean | null;
  skips: number;
  /** Where the listener says the song belongs on the plane. */
  placement: AffectPoint | null;
  /** Epoch milliseconds. */
  updatedAt: number;
}

export type CheckInModality = 'voice' | 'face' | 'text' | 'correction';

/** One "How am I feeling?" moment, kept locally as the mood history. */
export interface CheckIn {
  /** Epoch milliseconds; also the key. */
  id: number;
  modalities: CheckInModality[];
  emotion: EmotionLabel;
  distribution: EmotionDistribution;
  valence: number;
  arousal: number;
  mood: MoodId;
  confidence: number;
  /** The mode chosen and the songs queued from this check-in. */
  mode: string | null;
  playedSongIds: SongId[];
  /**
   * The words the listener typed, when they were read in this check-in: kept with the mood
   * history and deleted with it (absent in check-ins without words).
   */
  words?: string;
}

/** Which sense read the emotion that the listener then answered about. */
export type PersonalModality = 'voice' | 'face' | 'text';

/**
 * One labelled example of this listener: a sensor reading and what they said close in time to
 * it (a correction, "how do you feel now?", a re-check, a calibration sentence). The reading is stored as the net gave it
 * (before any personal calibration), so the calibration can always be fitted anew from these.
 */
export interface PersonalAnswer {
  /** `${modality}:${readAt}`: one answer per reading (a second answer replaces the first). */
  id: string;
  modality: PersonalModality;
  /** Epoch milliseconds of the reading and of the answer. */
  readAt: number;
  answeredAt: number;
  /** The classes `probabilities` is aligned with (the net's own; another list is ignored). */
  labels: string[];
  probabilities: number[];
  valence: number;
  arousal: number;
  /** Where the listener said they were. */
  answer: AffectPoint;
  /** A correction, "how do you feel now?", a re-check, or a calibration sentence (read neutrally). */
  source: 'correction' | 'outcome' | 'recheck' | 'calibration';
}
