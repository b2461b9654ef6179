import type { CheckIn } from '../library/personal.ts';
import type { SongId } from '../library/song.ts';
import { summariseArms, type ArmSummary } from './bandit.ts';
import { LEARNED_MODES, type LearnedMode, type MoodSession } from './session.ts';

/** The mean mood of one local calendar day. */
export interface DayMood {
  /** Local midnight of the day, epoch milliseconds. */
  dayStartMs: number;
  valence: number;
  arousal: number;
  checkIns: number;
}

/** Local midnight of the day of `ms`. */
const dayStart = (ms: number): number => {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
};

/** Local midnight of the Monday that starts the week of `ms`. */
const weekStart = (ms: number): number => {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7)).getTime();
};

/** Check-ins averaged per local day, oldest first. */
export function moodByDay(checkIns: readonly CheckIn[]): DayMood[] {
  return averaged(checkIns, dayStart);
}

/** Check-ins averaged per week (Monday to Sunday, local time), oldest first; `dayStartMs` is the Monday. */
export function moodByWeek(checkIns: readonly CheckIn[]): DayMood[] {
  return averaged(checkIns, weekStart);
}

function averaged(checkIns: readonly CheckIn[], period: (ms: number) => number): DayMood[] {
  const days = new Map<number, { v: number; a: number; n: number }>();
  for (const c of checkIns) {
    const key = period(c.id);
    const day = days.get(key) ?? { v: 0, a: 0, n: 0 };
    day.v += c.valence;
    day.a += c.arousal;
    day.n++;
    days.set(key, day);
  }
  return [...days.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([dayStartMs, d]) => ({ dayStartMs, valence: d.v / d.n, arousal: d.a / d.n, checkIns: d.n }));
}

/** Check-ins per hour of the local day (0–23) with their mean valence and arousal (null when none). */
export function moodByHour(checkIns: readonly CheckIn[]): Array<{ hour: number; checkIns: number; valence: number | null; arousal: number | null }> {
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, checkIns: 0, v: 0, a: 0 }));
  for (const c of checkIns) {
    const h = hours[new Date(c.id).getHours()];
    h.checkIns++;
    h.v += c.valence;
    h.a += c.arousal;
  }
  return hours.map((h) => ({ hour: h.hour, checkIns: h.checkIns, valence: h.checkIns ? h.v / h.checkIns : null, arousal: h.checkIns ? h.a / h.checkIns : null }));
}

/** Sessions that have a measured outcome and a strategy, oldest first. */
export function measuredSessions(sessions: readonly MoodSession[]): Array<MoodSession & { outcome: NonNullable<MoodSession['outcome']> }> {
  return sessions
    .filter((s): s is MoodSession & { outcome: NonNullable<MoodSession['outcome']> } => s.outcome !== null && Number.isFinite(s.outcome.progress))
    .sort((a, b) => a.id - b.id);
}

/** What each strategy did, per mode (only modes with at least one measured session). */
export function strategyResults(sessions: readonly MoodSession[]): Array<{ mode: LearnedMode; arms: ArmSummary[] }> {
  const measured = measuredSessions(sessions);
  return LEARNED_MODES.map((mode) => ({
    mode,
    arms: summariseArms(measured.filter((s) => s.mode === mode && s.strategy !== null).map((s) => ({ strategy: s.strategy as NonNullable<MoodSession['strategy']>, progress: s.outcome.progress }))),
  })).filter((r) => r.arms.some((a) => a.sessions > 0));
}

/**
 * Songs that most often played in a session that moved the listener toward its target
 * (progress > `minProgress`), with how often they played in measured sessions at all; ties by
 * the share of good sessions. Skipped songs do not count as having played.
 */
export function songsBeforeGoodMoves(sessions: readonly MoodSession[], limit = 5, minProgress = 0.05): Array<{ id: SongId; helped: number; played: number }> {
  const counts = new Map<SongId, { helped: number; played: number }>();
  for (const s of measuredSessions(sessions)) {
    if (s.mode === 'match') continue;
    const skipped = new Set(s.skipped);
    for (const id of new Set(s.played)) {
      if (skipped.has(id)) continue;
      const c = counts.get(id) ?? { helped: 0, played: 0 };
      c.played++;
      if (s.outcome.progress > minProgress) c.helped++;
      counts.set(id, c);
    }
  }
  return [...counts.entries()]
    .filter(([, c]) => c.helped > 0)
    .map(([id, c]) => ({ id, ...c }))
    .sort((a, b) => b.helped - a.helped || b.helped / b.played - a.helped / a.played || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
}
