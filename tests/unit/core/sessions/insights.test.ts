import { describe, expect, it } from 'vitest';
import { moodByDay, moodByHour, moodByWeek, songsBeforeGoodMoves, strategyResults } from '../../../../src/core/sessions/insights.ts';
import type { CheckIn } from '../../../../src/core/library/personal.ts';
import { outcomeOf, type MoodSession } from '../../../../src/core/sessions/session.ts';

const at = (y: number, m: number, d: number, h: number): number => new Date(y, m - 1, d, h).getTime();

function checkIn(id: number, valence: number, arousal: number): CheckIn {
  return { id, modalities: ['correction'], emotion: 'neutral', distribution: {} as CheckIn['distribution'], valence, arousal, mood: 'contentment', confidence: 1, mode: null, playedSongIds: [] };
}

function session(id: number, strategy: 'gradual' | 'direct', endValence: number | null, played: string[], skipped: string[] = []): MoodSession {
  const start = { valence: -0.5, arousal: 0 };
  const target = { valence: 0.5, arousal: 0 };
  return {
    id,
    checkInId: null,
    start,
    startSource: 'said',
    startConfidence: 1,
    mode: 'lift-up',
    target,
    strategy,
    chosenBy: 'exploring',
    path: played,
    played,
    skipped,
    liked: [],
    disliked: [],
    endedAt: id + 1,
    outcome: endValence === null ? null : outcomeOf({ start, target }, { valence: endValence, arousal: 0 }, 'said', id + 2),
    rechecks: [],
    dismissed: false,
  };
}

describe('insights', () => {
  it('averages check-ins per local day, oldest first', () => {
    const days = moodByDay([checkIn(at(2026, 11, 3, 9), 0.4, 0.2), checkIn(at(2026, 11, 2, 22), -0.6, 0), checkIn(at(2026, 11, 3, 18), 0.2, -0.2)]);
    expect(days.map((d) => d.checkIns)).toEqual([1, 2]);
    expect(days[0].dayStartMs).toBe(at(2026, 11, 2, 0));
    expect(days[1].valence).toBeCloseTo(0.3, 9);
    expect(days[1].arousal).toBeCloseTo(0, 9);
  });

  it('averages check-ins per week, Monday to Sunday', () => {
    // 2026-11-30 is a Monday: Sunday the 29th belongs to the week before.
    const weeks = moodByWeek([checkIn(at(2026, 11, 29, 23), -1, 0), checkIn(at(2026, 11, 30, 8), 0.2, 0.4), checkIn(at(2026, 12, 6, 20), 0.6, 0)]);
    expect(weeks.map((w) => [w.dayStartMs, w.checkIns])).toEqual([[at(2026, 11, 23, 0), 1], [at(2026, 11, 30, 0), 2]]);
    expect(weeks[1].valence).toBeCloseTo(0.4, 9);
    expect(weeks[1].arousal).toBeCloseTo(0.2, 9);
  });

  it('groups check-ins by hour of day', () => {
    const hours = moodByHour([checkIn(at(2026, 11, 3, 9), 0.4, 0.2), checkIn(at(2026, 11, 4, 9), 0, 0), checkIn(at(2026, 11, 4, 23), -1, 1)]);
    expect(hours).toHaveLength(24);
    expect(hours[9]).toMatchObject({ checkIns: 2 });
    expect(hours[9].valence).toBeCloseTo(0.2, 9);
    expect(hours[23]).toMatchObject({ checkIns: 1, valence: -1, arousal: 1 });
    expect(hours[0]).toMatchObject({ checkIns: 0, valence: null });
  });

  it('summarises each strategy per mode from measured sessions only', () => {
    const results = strategyResults([session(1, 'gradual', 0.3, ['a']), session(2, 'gradual', 0.1, ['b']), session(3, 'direct', -0.5, ['c']), session(4, 'direct', null, ['d'])]);
    expect(results).toHaveLength(1);
    expect(results[0].mode).toBe('lift-up');
    const [gradual, direct] = results[0].arms;
    expect(gradual.sessions).toBe(2);
    expect(gradual.meanProgress).toBeCloseTo(0.7, 9);
    expect(direct.sessions).toBe(1);
    expect(direct.meanProgress).toBeCloseTo(0, 9);
  });

  it('ranks the songs that played before moves toward the target; skipped songs do not count', () => {
    const top = songsBeforeGoodMoves([
      session(1, 'gradual', 0.5, ['a', 'b', 'c'], ['c']),
      session(2, 'direct', 0.2, ['a', 'c']),
      session(3, 'direct', -0.6, ['b', 'd']),
      session(4, 'gradual', null, ['d']),
    ]);
    expect(top).toEqual([
      { id: 'a', helped: 2, played: 2 },
      { id: 'c', helped: 1, played: 1 },
      { id: 'b', helped: 1, played: 2 },
    ]);
  });
});
