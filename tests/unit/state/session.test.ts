import { describe, expect, it, vi } from 'vitest';
import { StorageFullError } from '../../../src/adapters/storage/library-db.ts';
import type { SongId } from '../../../src/core/library/song.ts';
import type { FaceState } from '../../../src/state/face.svelte.ts';
import type { LibraryState } from '../../../src/state/library.svelte.ts';
import type { PlayerState } from '../../../src/state/player.svelte.ts';
import { SessionState } from '../../../src/state/session.svelte.ts';
import type { VoiceState } from '../../../src/state/voice.svelte.ts';

/** Songs spread over the plane: a 7 × 7 grid, each placed by its analysis. */
const GRID = Array.from({ length: 49 }, (_, i) => ({ id: `s${i}` as SongId, valence: (i % 7) / 3 - 1, arousal: Math.floor(i / 7) / 3 - 1 }));

function fakes(db: Partial<Record<'putCheckIn' | 'putFeedback' | 'clearCheckIns', (arg?: unknown) => Promise<void>>> = {}) {
  const writes: string[] = [];
  const record = (name: string, custom?: (arg?: unknown) => Promise<void>) => async (arg?: unknown) => {
    writes.push(name);
    if (custom) await custom(arg);
  };
  const library = {
    loaded: true,
    fatal: null,
    songs: GRID.map((s) => ({ id: s.id, hasAudio: true, durationSeconds: 200 })),
    analyses: new Map(GRID.map((s) => [s.id, { emotion: { valence: s.valence, arousal: s.arousal, contributions: { valence: [], arousal: [] } } }])),
    db: {
      listFeedback: async () => [],
      listCheckIns: async () => [],
      putCheckIn: record('check-in', db.putCheckIn),
      putFeedback: record('feedback', db.putFeedback),
      clearCheckIns: record('history-delete', db.clearCheckIns),
    },
  } as unknown as LibraryState;
  const player = { onSkip: null as ((id: SongId) => void) | null, playQueue: vi.fn(async () => undefined) };
  const session = new SessionState(library, player as unknown as PlayerState, {} as VoiceState, {} as FaceState);
  return { session, player, writes };
}

const full = async () => Promise.reject(new StorageFullError(new DOMException('full', 'QuotaExceededError')));

describe('SessionState', () => {
  it('a tap on the plane is a check-in: a path toward "lift me up" that never turns back, kept in the history', async () => {
    const { session, writes } = fakes();
    session.setMode('lift-up');
    await session.correct({ valence: -0.8, arousal: -0.7 });
    expect(session.fused?.source).toBe('correction');
    expect(session.playlist.length).toBeGreaterThan(3);
    // Each song is no further from the target than the one before, except near the target
    // (within 0.35), where a path that arrived may stay; it ends there.
    const target = session.destination ?? { valence: 0, arousal: 0 };
    const toTarget = session.playlist.map((e) => Math.hypot(e.valence - target.valence, e.arousal - target.arousal));
    for (let i = 1; i < toTarget.length; i++) expect(toTarget[i] <= toTarget[i - 1] + 1e-9 || toTarget[i] <= 0.35).toBe(true);
    expect(toTarget[0]).toBeGreaterThan(1.5);
    expect(toTarget.at(-1)).toBeLessThanOrEqual(0.35);
    expect(session.history).toHaveLength(1);
    expect(writes).toEqual(['check-in']);
  });

  it('playing records what was played, with a crossfade', async () => {
    const { session, player } = fakes();
    await session.correct({ valence: 0.5, arousal: 0.5 });
    await session.play();
    expect(player.playQueue).toHaveBeenCalledWith(session.playlist.map((e) => e.id), 0, { crossfadeSeconds: 3 });
    expect(session.history[0].playedSongIds).toEqual(session.playlist.map((e) => e.id));
  });

  it('a check-in the disk refuses stays for the visit and is said to be unsaved, until a write succeeds', async () => {
    let refuse = true;
    const { session } = fakes({ putCheckIn: async () => (refuse ? full() : undefined) });
    await session.correct({ valence: 0.2, arousal: 0.1 });
    expect(session.history).toHaveLength(1);
    expect(session.saveProblem).toEqual({ what: 'check-in', storageFull: true });
    refuse = false;
    await session.correct({ valence: 0.3, arousal: 0.1 });
    expect(session.saveProblem).toBeNull();
    expect(session.history).toHaveLength(2);
  });

  it('a refused history deletion keeps the history and says so', async () => {
    const { session } = fakes({ clearCheckIns: async () => Promise.reject(new Error('database closed')) });
    await session.correct({ valence: 0.2, arousal: 0.1 });
    await session.clearHistory();
    expect(session.history).toHaveLength(1);
    expect(session.saveProblem).toEqual({ what: 'history-delete', storageFull: false });
  });

  it('a disliked song leaves the playlist; a skip from the player is counted', async () => {
    const { session, player } = fakes();
    await session.correct({ valence: 0.6, arousal: 0.6 });
    const first = session.playlist[0].id;
    await session.like(first, false);
    expect(session.playlist.map((e) => e.id)).not.toContain(first);
    player.onSkip?.(session.playlist[0].id);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.feedback.get(session.playlist[0].id)?.skips).toBe(1);
  });
});
