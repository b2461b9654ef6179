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

export type CheckInModality = 'voice' | 'face' | 'correction';

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
}
