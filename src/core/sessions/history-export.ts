import type { CheckIn, PersonalAnswer } from '../library/personal.ts';
import type { MoodSession } from './session.ts';

/**
 * The listener's mood history on the way out: check-ins and sessions as CSV, and everything
 * Norae learned about their moods as JSON (the Insights screen's exports).
 */

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The mood history as CSV (RFC 4180), one row per check-in, oldest first. */
export function toCheckInCsv(checkIns: readonly CheckIn[]): string {
  const header = ['time', 'modalities', 'emotion', 'valence', 'arousal', 'mood', 'confidence', 'mode', 'played_song_ids', 'words'];
  const rows = [...checkIns]
    .sort((a, b) => a.id - b.id)
    .map((c) =>
      [
        new Date(c.id).toISOString(),
        c.modalities.join(' '),
        c.emotion,
        c.valence.toFixed(3),
        c.arousal.toFixed(3),
        c.mood,
        c.confidence.toFixed(3),
        c.mode ?? '',
        c.playedSongIds.join(' '),
        c.words ?? '',
      ]
        .map(csvField)
        .join(','),
    );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

const num = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : '');

/** Listening sessions and their outcomes as CSV (RFC 4180), one row per session, oldest first. */
export function toSessionCsv(sessions: readonly MoodSession[]): string {
  const header = [
    'started', 'ended', 'mode', 'strategy', 'chosen_by', 'start_valence', 'start_arousal', 'start_source', 'start_confidence',
    'target_valence', 'target_arousal', 'end_valence', 'end_arousal', 'end_source', 'progress', 'end_distance',
    'dismissed', 'rechecks', 'played_song_ids', 'skipped_song_ids', 'liked_song_ids', 'disliked_song_ids',
  ];
  const rows = [...sessions]
    .sort((a, b) => a.id - b.id)
    .map((s) =>
      [
        new Date(s.id).toISOString(),
        s.endedAt === null ? '' : new Date(s.endedAt).toISOString(),
        s.mode,
        s.strategy ?? '',
        s.chosenBy ?? '',
        num(s.start.valence),
        num(s.start.arousal),
        s.startSource,
        num(s.startConfidence),
        num(s.target?.valence),
        num(s.target?.arousal),
        num(s.outcome?.end.valence),
        num(s.outcome?.end.arousal),
        s.outcome?.source ?? '',
        num(s.outcome?.progress),
        num(s.outcome?.endDistance),
        s.dismissed ? 'yes' : 'no',
        s.rechecks.length,
        s.played.join(' '),
        s.skipped.join(' '),
        s.liked.join(' '),
        s.disliked.join(' '),
      ]
        .map(csvField)
        .join(','),
    );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

/**
 * Everything Norae learned about the listener's moods, as JSON: check-ins, sessions with outcomes,
 * and the answers personal calibration learns from (each sensor reading with what they said).
 */
export function toMoodDataJson(checkIns: readonly CheckIn[], sessions: readonly MoodSession[], exportedAt: Date, answers: readonly PersonalAnswer[] = []): string {
  return JSON.stringify({ format: 'norae-mood-data', version: 2, exportedAt: exportedAt.toISOString(), checkIns, sessions, answers }, null, 2);
}
