import { describe, expect, it, vi } from 'vitest';
import { StorageFullError } from '../../../src/adapters/storage/library-db.ts';
import type { SongId } from '../../../src/core/library/song.ts';
import type { FaceState } from '../../../src/state/face.svelte.ts';
import type { LibraryState } from '../../../src/state/library.svelte.ts';
import type { PlayerState } from '../../../src/state/player.svelte.ts';
import { SessionState } from '../../../src/state/session.svelte.ts';
import type { MoodSession } from '../../../src/core/sessions/session.ts';
import type { PersonalAnswer } from '../../../src/core/library/personal.ts';
import { normaliseDistribution } from '../../../src/core/emotion/emotions.ts';
import type { VoiceState } from '../../../src/state/voice.svelte.ts';
import { TextState } from '../../../src/state/text.svelte.ts';
import type { TextReading } from '../../../src/core/text/text-reading.ts';

/** Songs spread over the plane: a 7 × 7 grid, each placed by its analysis. */
const GRID = Array.from({ length: 49 }, (_, i) => ({ id: `s${i}` as SongId, valence: (i % 7) / 3 - 1, arousal: Math.floor(i / 7) / 3 - 1 }));

function fakes(
  db: Partial<Record<'putCheckIn' | 'putFeedback' | 'clearMoodHistory' | 'putSession' | 'putAnswers', (arg?: unknown) => Promise<void>>> = {},
  stored: { sessions?: MoodSession[]; answers?: PersonalAnswer[]; random?: () => number; voice?: VoiceState; face?: FaceState; text?: TextState } = {},
) {
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
      clearMoodHistory: record('history-delete', db.clearMoodHistory),
      listSessions: async () => stored.sessions ?? [],
      putSession: record('session', db.putSession),
      listAnswers: async () => stored.answers ?? [],
      putAnswers: record('answers', db.putAnswers),
      clearAnswers: record('answers-delete'),
    },
  } as unknown as LibraryState;
  const player = {
    onSkip: null as ((id: SongId) => void) | null,
    onHeard: null as ((id: SongId) => void) | null,
    onQueueEnd: null as (() => void) | null,
    queue: [] as SongId[],
    index: -1,
    playQueue: vi.fn(async (ids: readonly SongId[], start: number) => {
      player.queue = [...ids];
      player.index = start;
    }),
    playing: false,
    pause: vi.fn(() => {
      player.playing = false;
    }),
    resume: vi.fn(async () => {
      player.playing = true;
    }),
    replaceUpcoming: vi.fn((ids: readonly SongId[]) => {
      player.queue = [...player.queue.slice(0, player.index + 1), ...ids];
    }),
  };
  const session = new SessionState(library, player as unknown as PlayerState, stored.voice ?? ({} as VoiceState), stored.face ?? ({} as FaceState), stored.random, stored.text);
  return { session, player, writes };
}

/** A microphone and voice model that read `result` on every recording (`events` hears each listen). */
function fakeVoice(result: unknown, events: string[] = []) {
  return {
    listen: async (options: { onRecorded?: () => void }) => {
      events.push('voice-listen');
      options.onRecorded?.();
      return { ok: true, reading: { result }, recordingEndedAtMs: performance.now() };
    },
  };
}

/** A camera that sees `reading` (null: no face) until the voice is done. */
function fakeFace(reading: unknown, events: string[] = []) {
  return {
    reading: null,
    sample: async (_video: unknown, options: { until: Promise<unknown> }) => {
      await options.until;
      events.push('face-sample');
      return reading ? { ok: true, reading } : { ok: false, code: 'no-face', detail: '' };
    },
  };
}

/** The camera view a check-in looks through (the fakes never touch it). */
const VIDEO = {} as HTMLVideoElement;

const full = async () => Promise.reject(new StorageFullError(new DOMException('full', 'QuotaExceededError')));

describe('SessionState', () => {
  it('a tap on the plane is a check-in: a gradual path toward "lift me up" that never turns back, kept in the history', async () => {
    const { session, writes } = fakes();
    session.learning.setPreference('gradual');
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
    const { session } = fakes({ clearMoodHistory: async () => Promise.reject(new Error('database closed')) });
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

  it('a session: playing starts it, heard songs and skips are kept, the end asks once and stores the move toward the target', async () => {
    const { session, player, writes } = fakes({}, { random: () => 0 });
    session.setMode('calm-down');
    await session.correct({ valence: -0.5, arousal: 0.7 });
    expect(session.strategy).toMatchObject({ chosenBy: 'exploring' });
    await session.play();
    const active = session.learning.active;
    expect(active).toMatchObject({ mode: 'calm-down', startSource: 'said', strategy: session.strategy?.strategy, chosenBy: 'exploring', played: [] });
    expect(active?.path).toEqual(session.playlist.map((e) => e.id));
    // Playing the same playlist from another song is the same session.
    await session.play(2);
    expect(session.learning.sessions).toHaveLength(1);
    player.onHeard?.(player.queue[0]);
    player.onSkip?.(player.queue[0]);
    player.onHeard?.(player.queue[1]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.learning.active?.played).toEqual(player.queue.slice(0, 2));
    expect(session.learning.active?.skipped).toEqual([player.queue[0]]);
    player.onQueueEnd?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.learning.active).toBeNull();
    expect(session.learning.asking?.endedAt).toBeGreaterThan(0);
    // Calm-down's target is (0.5, -0.6); the listener says they are there.
    await session.answerOutcome({ valence: 0.5, arousal: -0.6 });
    expect(session.learning.asking).toBeNull();
    const stored = session.learning.sessions[0];
    expect(stored.outcome).toMatchObject({ source: 'said', endDistance: 0 });
    expect(stored.outcome?.progress).toBeCloseTo(Math.hypot(1, 1.3), 9);
    expect(writes.filter((w) => w === 'session').length).toBeGreaterThanOrEqual(4);
  });

  it('learns the strategy that helps: after sessions where gradual paths calm and direct jumps do not, it chooses gradual and says why', async () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const { session } = fakes({}, { random });
    session.setMode('calm-down');
    const start = { valence: -0.4, arousal: 0.6 };
    for (let i = 0; i < 8; i++) {
      await session.correct(start);
      await session.play();
      await session.endSession();
      // Gradual paths bring this listener most of the way; direct jumps leave them where they were.
      const helped = session.learning.asking?.strategy === 'gradual';
      await session.answerOutcome(helped ? { valence: 0.35, arousal: -0.4 } : { valence: -0.35, arousal: 0.55 });
    }
    await session.correct(start);
    expect(session.strategy?.decision.claim).toMatchObject({ better: 'gradual', worse: 'direct' });
    expect(session.strategy?.decision.claim?.sessions).toBe(8);
    const chosen: string[] = [];
    for (let i = 0; i < 20; i++) {
      session.learning.newReading();
      session.recommend();
      chosen.push(session.strategy?.strategy ?? '');
    }
    expect(chosen.filter((s) => s === 'gradual').length).toBeGreaterThanOrEqual(18);
    // The listener can turn learning off and pick.
    session.learning.setPreference('direct');
    session.recommend();
    expect(session.strategy).toMatchObject({ strategy: 'direct', chosenBy: 'you' });
  });

  it('a session left unanswered is asked about on the next visit; a new reading soon after a session answers it', async () => {
    const now = Date.now();
    const left: MoodSession = {
      id: now - 3_600_000, checkInId: null, start: { valence: -0.5, arousal: -0.5 }, startSource: 'sensors', startConfidence: 0.6,
      mode: 'lift-up', target: { valence: 0.75, arousal: 0.35 }, strategy: 'direct', chosenBy: 'exploring', path: ['s0'], played: ['s0'],
      skipped: [], liked: [], disliked: [], endedAt: null, outcome: null, rechecks: [], dismissed: false,
    };
    const visit = fakes({}, { sessions: [left] });
    await visit.session.load();
    expect(visit.session.learning.asking?.id).toBe(left.id);
    await visit.session.learning.dismiss();
    expect(visit.session.learning.sessions[0].dismissed).toBe(true);

    const next = fakes({}, { sessions: [{ ...left, endedAt: now - 600_000 }] });
    await next.session.load();
    next.session.setMode('lift-up');
    await next.session.correct({ valence: 0.25, arousal: 0 });
    await next.session.play();
    const answered = next.session.learning.sessions[0];
    expect(answered.outcome).toMatchObject({ source: 'said', end: { valence: 0.25, arousal: 0 } });
    expect(answered.outcome?.progress).toBeGreaterThan(0.5);
    expect(next.session.learning.sessions).toHaveLength(2);
  });

  it('an opt-in re-check after three songs re-plans the rest of the path from where the listener is', async () => {
    const { session, player } = fakes();
    session.learning.setPreference('gradual');
    session.learning.setRecheck('tap');
    session.setMode('lift-up');
    session.setLength('songs', 8);
    await session.correct({ valence: -0.9, arousal: -0.9 });
    await session.play();
    for (const id of player.queue.slice(0, 3)) player.onHeard?.(id);
    player.index = 2;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.learning.recheckDue).toBe(true);
    const before = player.queue.slice(0, 3);
    const oldFourth = player.queue[3];
    await session.recheck({ valence: 0, arousal: -0.3 });
    expect(session.learning.recheckDue).toBe(false);
    expect(player.queue.slice(0, 3)).toEqual(before);
    expect(player.queue.length).toBeGreaterThan(5);
    expect(player.queue.length).toBeLessThanOrEqual(8);
    // The rest starts near where the listener now is, not where the old path was.
    const fourth = session.playlist[3];
    expect(fourth.id).not.toBe(oldFourth);
    expect(Math.hypot(fourth.valence - 0, fourth.arousal + 0.3)).toBeLessThan(0.3);
    expect(session.learning.active?.rechecks).toEqual([expect.objectContaining({ point: { valence: 0, arousal: -0.3 }, source: 'said' })]);
    expect(session.learning.active?.path).toEqual(player.queue);
  });

  it('a re-check by voice and camera pauses the music while it listens, re-plans from the reading (marked as read by the sensors), and plays on', async () => {
    // Both sensors read a calm, content listener (valence +0.5, arousal −0.2).
    const distribution = { neutral: 0.2, happy: 0.7, sad: 0.02, angry: 0.02, fearful: 0.02, disgust: 0.02, surprised: 0.02, contempt: 0 };
    const reading = { distribution, valence: 0.5, arousal: -0.2, confidence: 0.7 };
    const events: string[] = [];
    const voice = fakeVoice({ ...reading, unsure: false, reliability: { perEmotion: { happy: 0.8, neutral: 0.7 }, valence: 0.7, arousal: 0.8 } }, events);
    const face = fakeFace(reading, events);
    const { session, player, writes } = fakes({}, { voice: voice as unknown as VoiceState, face: face as unknown as FaceState });
    player.pause.mockImplementation(() => {
      events.push('pause');
      player.playing = false;
    });
    player.resume.mockImplementation(async () => {
      events.push('resume');
      player.playing = true;
    });
    session.learning.setPreference('gradual');
    session.setMode('calm-down');
    session.setLength('songs', 8);
    await session.correct({ valence: -0.6, arousal: 0.8 });
    await session.play();
    player.playing = true;
    for (const id of player.queue.slice(0, 3)) player.onHeard?.(id);
    player.index = 2;
    const heard = player.queue.slice(0, 3);
    const checkInsBefore = writes.filter((w) => w === 'check-in').length;
    await session.recheckByReading(VIDEO);
    // The music paused before Norae listened, and went on after; the camera looked until the voice was read.
    expect(events).toEqual(['pause', 'voice-listen', 'face-sample', 'resume']);
    expect(player.playing).toBe(true);
    const recheck = session.learning.active?.rechecks.at(-1);
    expect(recheck?.source).toBe('sensors');
    expect(recheck?.point.valence).toBeCloseTo(0.5, 1);
    expect(recheck?.point.arousal).toBeCloseTo(-0.2, 1);
    // Heard songs stay; the rest starts near where the sensors put the listener.
    expect(player.queue.slice(0, 3)).toEqual(heard);
    expect(Math.hypot(session.playlist[3].valence - 0.5, session.playlist[3].arousal + 0.2)).toBeLessThan(0.35);
    // The reading is kept in the history as a check-in of its own.
    expect(writes.filter((w) => w === 'check-in').length).toBe(checkInsBefore + 1);
  });

  it('deleting the history deletes the sessions too', async () => {
    const { session, writes } = fakes();
    session.setMode('energise');
    await session.correct({ valence: 0, arousal: 0 });
    await session.play();
    await session.clearHistory();
    expect(writes).toContain('history-delete');
    expect(session.learning.sessions).toEqual([]);
    expect(session.learning.active).toBeNull();
  });

  it('a microphone and a camera both denied say so; without the camera view a photo the face panel read still counts', async () => {
    const denied = async () => ({ ok: false, code: 'denied', detail: '' });
    const voice = { listen: denied };
    const face = { reading: null, sample: denied };
    const { session, writes } = fakes({}, { voice: voice as unknown as VoiceState, face: face as unknown as FaceState });
    await session.checkIn(VIDEO);
    expect(session.phase).toBe('error');
    expect(session.messages).toEqual(['both-denied']);
    expect(writes).not.toContain('check-in');

    const photo = { distribution: { neutral: 0.1, happy: 0.1, sad: 0.7, angry: 0.02, fearful: 0.02, disgust: 0.02, surprised: 0.04, contempt: 0 }, valence: -0.6, arousal: -0.4, confidence: 0.7 };
    const withPhoto = fakes({}, { voice: voice as unknown as VoiceState, face: { reading: photo, sample: denied } as unknown as FaceState });
    await withPhoto.session.checkIn(null);
    expect(withPhoto.session.fused?.source).toBe('face');
    expect(withPhoto.session.point?.valence).toBeLessThan(-0.3);
  });

  it('learns the listener: three corrections toward "sad, low energy" tune the fourth reading of the same voice toward it, stored; a reset forgets them', async () => {
    const result = { distribution: normaliseDistribution({ neutral: 0.6, happy: 0.2, sad: 0.2 }), valence: 0.1, arousal: 0.05, confidence: 0.6, unsure: false, reliability: { perEmotion: { neutral: 0.7, sad: 0.7, happy: 0.6 }, valence: 0.6, arousal: 0.8 } };
    const voice = fakeVoice(result);
    const face = fakeFace(null);
    const { session, writes } = fakes({}, { voice: voice as unknown as VoiceState, face: face as unknown as FaceState });
    const sadLow = { valence: -0.6, arousal: -0.5 };
    for (let i = 0; i < 3; i++) {
      await session.checkIn(null);
      if (i === 0) expect(session.fused?.top).toBe('neutral');
      await session.correct(sadLow);
      await new Promise((resolve) => setTimeout(resolve, 2)); // each reading its own millisecond
    }
    expect(writes.filter((w) => w === 'answers')).toHaveLength(3);
    expect(session.personal.answers).toHaveLength(3);
    expect(session.personal.tunedFrom('voice')).toBe(3);
    await session.checkIn(null);
    expect(session.fused?.source).toBe('voice');
    expect(session.fused?.valence).toBeLessThan(-0.2);
    expect(session.fused?.arousal).toBeLessThan(-0.15);
    expect(session.fused?.top).toBe('sad');
    await session.personal.reset();
    expect(session.personal.tunedFrom('voice')).toBe(0);
    await session.checkIn(null);
    expect(session.fused?.top).toBe('neutral');
    expect(session.fused?.valence).toBeCloseTo(0.1, 6);
  });

  describe('words', () => {
    /** Words that read tired: unpleasant and low (a fake of the text model's reading). */
    const tired: TextReading = {
      distribution: normaliseDistribution({ sad: 0.7, neutral: 0.3 }),
      valence: -0.55,
      arousal: -0.65,
      confidence: 0.7,
      unsure: false,
      language: 'ko',
      reader: 'model',
      featureCount: 20,
      reliability: { perEmotion: { sad: 0.6, neutral: 0.5, happy: 0.7 }, valence: 0.75, arousal: 0.5 },
      cues: ['지쳤어'],
    };
    const textWith = (reading: TextReading): TextState => new TextState(async () => ({ read: () => reading }));
    /** Voice and face that both read a content listener, unsure of it. */
    function unsureSensors() {
      const result = { distribution: normaliseDistribution({ neutral: 0.5, happy: 0.5 }), valence: 0.35, arousal: 0.1, confidence: 0.35, unsure: true, reliability: { perEmotion: { neutral: 0.6, happy: 0.7 }, valence: 0.6, arousal: 0.8 } };
      const voice = fakeVoice(result);
      const faceReading = { distribution: result.distribution, valence: 0.35, arousal: 0.1, confidence: 0.3 };
      const face = fakeFace(faceReading);
      return { voice: voice as unknown as VoiceState, face: face as unknown as FaceState };
    }

    it('typed words join the check-in: with voice and face unsure, the fused point moves toward the words, and the words are kept with it', async () => {
      const without = fakes({}, unsureSensors());
      await without.session.checkIn(VIDEO);
      const before = without.session.point as { valence: number; arousal: number };
      expect(without.session.fused?.source).toBe('fused');

      const text = textWith(tired);
      const withWords = fakes({}, { ...unsureSensors(), text });
      await text.type('퇴근길, 너무 지쳤어');
      await withWords.session.checkIn(VIDEO);
      const after = withWords.session.point as { valence: number; arousal: number };
      const toWords = (p: { valence: number; arousal: number }) => Math.hypot(p.valence - tired.valence, p.arousal - tired.arousal);
      expect(toWords(after)).toBeLessThan(toWords(before) - 0.2);
      expect(after.valence).toBeLessThan(0);
      expect(withWords.session.fused?.contributions.text.valence).toBeGreaterThan(0.5);
      const saved = withWords.session.history.at(-1);
      expect(saved?.modalities).toEqual(['voice', 'face', 'text']);
      expect(saved?.words).toBe('퇴근길, 너무 지쳤어');
      // Voice and face read content, the words read tired: the check-in says they disagree.
      expect(withWords.session.fused?.disagreement).toMatchObject({ second: 'text', secondTop: 'sad' });
    });

    it('"just my words" checks in from the words alone, plays, and keeps them in the history; words that say nothing are said to', async () => {
      const text = textWith(tired);
      const { session, player, writes } = fakes({}, { text });
      await text.type('퇴근길, 너무 지쳤어');
      await session.checkInByWords();
      expect(session.fused?.source).toBe('text');
      expect(session.fused?.mood).toBe('depression');
      expect(player.playQueue).toHaveBeenCalled();
      expect(writes).toContain('check-in');
      expect(session.history.at(-1)).toMatchObject({ modalities: ['text'], words: '퇴근길, 너무 지쳤어' });

      const nothing = textWith({ ...tired, reader: 'none', confidence: 0, language: 'other' });
      const other = fakes({}, { text: nothing });
      await nothing.type('...');
      await other.session.checkInByWords();
      expect(other.session.phase).toBe('error');
      expect(other.session.messages).toEqual(['words-unreadable']);
      expect(other.writes).not.toContain('check-in');
    });

    it('a check-in without words keeps no words', async () => {
      const { session } = fakes({}, { ...unsureSensors(), text: textWith(tired) });
      await session.checkIn(VIDEO);
      expect(session.history.at(-1)?.modalities).toEqual(['voice', 'face']);
      expect(session.history.at(-1)).not.toHaveProperty('words');
    });
  });
});
