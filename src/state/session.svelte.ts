import { clampToPlane, moodOf, type AffectPoint, type MoodId } from '../core/emotion/circumplex.ts';
import { explainPlacement, type AxisReasons } from '../core/emotion/explain.ts';
import { fuseEmotions, type FusedEmotion, type ModalityReading, type ModalityReliability } from '../core/emotion/fusion.ts';
import { FACE_RELIABILITY, textReliability, voiceReliability } from '../core/emotion/reliability.ts';
import type { CheckIn, CheckInModality, SongFeedback } from '../core/library/personal.ts';
import type { SongId } from '../core/library/song.ts';
import { MODE_TARGETS, matchMood, type Candidate, type PlaylistLength } from '../core/recommend/recommend.ts';
import { planForStrategy } from '../core/recommend/strategies.ts';
import type { LearnedMode, PointSource } from '../core/sessions/session.ts';
import { StorageFullError } from '../adapters/storage/library-db.ts';
import type { FaceState } from './face.svelte.ts';
import { LearningState, type StrategyChoice, type StrategyPreference } from './learning.svelte.ts';
import { PersonalState } from './personal.svelte.ts';
import { TextState } from './text.svelte.ts';
import type { LibraryState } from './library.svelte.ts';
import type { PlayerState } from './player.svelte.ts';
import type { VoiceState } from './voice.svelte.ts';

export type Mode = 'match' | 'lift-up' | 'calm-down' | 'energise' | 'target';
export const MODES: readonly Mode[] = ['match', 'lift-up', 'calm-down', 'energise', 'target'];

/** Why a song is in the playlist, as data; the UI puts it into words in the user's language. */
export interface PlaylistEntry {
  id: SongId;
  valence: number;
  arousal: number;
  mood: MoodId;
  /** 0-based position and the playlist's length. */
  step: number;
  of: number;
  /** Distance from the mood it was matched to (the listener's, or its waypoint on the path). */
  distance: number;
  /** The features that put the song where it is, per axis. */
  reasons: { valence: AxisReasons[]; arousal: AxisReasons[] };
  /** True when the listener placed the song themselves. */
  placedByYou: boolean;
}

/** What a storage write was keeping: a check-in, a like/skip/placement, or deleting the history. */
export type SaveTarget = 'check-in' | 'feedback' | 'history-delete' | 'session';

export type SessionMessage =
  | 'empty-library'
  | 'nothing-analysed'
  | 'one-quadrant'
  | 'nothing-read'
  | 'both-denied'
  | 'sparse-path'
  | 'short-path'
  | 'correction-clamped'
  /** "Just my words": the words said nothing Norae can read (another language, no feeling words). */
  | 'words-unreadable';

/** How long a check-in may listen at most (seconds). */
const MAX_LISTEN_SECONDS = 12;

/**
 * "How am I feeling?" and "what to play": one tap records the voice and looks through the
 * camera, fuses both into one emotion, and builds a playlist from the user's own library that
 * matches the mood or leads gently somewhere better. The listener's corrections, likes,
 * dislikes, skips and own placements of songs are kept locally and shape what comes next.
 */
export class SessionState {
  phase = $state<'idle' | 'listening' | 'thinking' | 'ready' | 'error'>('idle');
  fused = $state.raw<FusedEmotion | null>(null);
  voiceReading = $state.raw<ModalityReading | null>(null);
  /** The voice model's measured reliability for the mode the voice was read in (cold or adapted to the speaker). */
  voiceReliability = $state.raw<ModalityReliability | null>(null);
  faceReading = $state.raw<ModalityReading | null>(null);
  /** The typed words' reading (tuned to the listener), when the check-in read words. */
  textReading = $state.raw<ModalityReading | null>(null);
  /** The words' reader's reliability (the Korean net's measured one, or the English lexicon's share). */
  textReliability = $state.raw<ModalityReliability | null>(null);
  correction = $state.raw<AffectPoint | null>(null);
  mode = $state<Mode>('match');
  target = $state.raw<AffectPoint | null>(null);
  lengthKind = $state<'songs' | 'minutes'>('songs');
  lengthValue = $state(10);
  playlist = $state.raw<PlaylistEntry[]>([]);
  waypoints = $state.raw<AffectPoint[]>([]);
  stepVariance = $state<number | null>(null);
  messages = $state.raw<SessionMessage[]>([]);
  /**
   * The last write to this device's storage that failed: what stays on screen for this visit but
   * was not kept. Cleared when the same kind of write succeeds again.
   */
  saveProblem = $state<{ what: SaveTarget; storageFull: boolean } | null>(null);
  feedback = $state.raw<ReadonlyMap<SongId, SongFeedback>>(new Map());
  history = $state.raw<CheckIn[]>([]);
  /** Compute time from the end of the recording to the first song playing (ms). */
  lastTapToPlayMs = $state<number | null>(null);
  /** Time to build the last playlist (ms). */
  lastRecommendMs = $state<number | null>(null);
  /** The path strategy of the current playlist and why (null in "match my mood"). */
  strategy = $state.raw<StrategyChoice | null>(null);
  /** Sessions, their outcomes and the strategy learner. */
  readonly learning: LearningState;
  /** The listener's answers and the calibration and fusion weights learned from them. */
  readonly personal: PersonalState;
  /** "A few words, if you like": read as they are typed, fused at the check-in. */
  readonly text: TextState;

  readonly #library: LibraryState;
  readonly #player: PlayerState;
  readonly #voice: VoiceState;
  readonly #face: FaceState;
  #loaded = false;

  /**
   * `random` (uniform in [0, 1)) drives the strategy learner's draws; tests pass a seeded one, and
   * a TextState with a fake reader.
   */
  constructor(library: LibraryState, player: PlayerState, voice: VoiceState, face: FaceState, random: () => number = Math.random, text: TextState = new TextState()) {
    this.#library = library;
    this.text = text;
    this.#player = player;
    this.#voice = voice;
    this.#face = face;
    this.learning = new LearningState((s) => this.#store('session', () => this.#library.db.putSession(s)), random);
    this.personal = new PersonalState(() => this.#library.db);
    voice.onCalibrationReading = (r) => {
      void this.load()
        .then(() => this.personal.calibrationSentence({ distribution: r.distribution, valence: r.valence, arousal: r.arousal, confidence: r.confidence, unsure: r.unsure }, Date.now()))
        .catch((error: unknown) => console.error('Norae: a calibration sentence could not be kept as an answer', error));
    };
    player.onSkip = (id) => void this.skip(id);
    player.onHeard = (id) => void this.learning.heard(id);
    player.onQueueEnd = () => void this.learning.end(Date.now());
  }

  /** Loads feedback and the mood history from IndexedDB (once). */
  async load(): Promise<void> {
    if (this.#loaded || !this.#library.loaded || this.#library.fatal) return;
    this.#loaded = true;
    const [feedback, history, sessions] = await Promise.all([this.#library.db.listFeedback(), this.#library.db.listCheckIns(), this.#library.db.listSessions()]);
    this.feedback = new Map(feedback.map((f) => [f.id, f]));
    this.history = history;
    this.learning.loaded(sessions, Date.now());
    try {
      await this.personal.load();
    } catch (error) {
      // Readings go on untuned; the listener is told (saveProblem) rather than left guessing.
      console.error('Norae: could not read your answers from this device', error);
      this.personal.saveProblem = (error as Error)?.message ?? String(error);
    }
  }

  get point(): AffectPoint | null {
    return this.fused && this.fused.source !== 'none' ? { valence: this.fused.valence, arousal: this.fused.arousal } : null;
  }

  /** The mood a path leads to for the current mode (null for "match my mood"). */
  get destination(): AffectPoint | null {
    if (this.mode === 'match') return null;
    if (this.mode === 'target') return this.target;
    return MODE_TARGETS[this.mode];
  }

  /**
   * One tap: listen (voice until the speaker stops, the camera meanwhile), read both, fuse,
   * build the playlist and start playing. `video` is where the camera shows (null: voice only).
   */
  async checkIn(video: HTMLVideoElement | null): Promise<void> {
    if (this.phase === 'listening' || this.phase === 'thinking') return;
    const recordingEnded = await this.#read(video);
    if (recordingEnded === null) return;
    await this.#recommendAndPlay(recordingEnded);
  }

  /** After a reading: the playlist is built, the check-in kept, and the first song plays. `since`: performance.now() ms the compute started. */
  async #recommendAndPlay(since: number): Promise<void> {
    // The reading is shown in a task of its own, the playlist in the next: with 10,000 songs both
    // at once were one 50–110-ms task (rendering code met for the first time, a Chromium trace).
    // Not in a hidden page: nobody sees it paint, and its timers may wait a second.
    if (typeof document === 'undefined' || document.visibilityState !== 'hidden') await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.recommend();
    this.phase = 'ready';
    await this.#saveCheckIn(this.#modalities());
    if (this.playlist.length > 0) {
      await this.play();
      this.lastTapToPlayMs = performance.now() - since;
    }
  }

  /**
   * A check-in from the typed words alone (no microphone, no camera): for a listener who would
   * rather write than speak, or cannot speak right now.
   */
  async checkInByWords(): Promise<void> {
    if (this.phase === 'listening' || this.phase === 'thinking') return;
    await this.load();
    this.#beginReading();
    this.#readWords(Date.now());
    this.#fuse();
    if (!this.point) {
      this.messages = ['words-unreadable'];
      this.phase = 'error';
      return;
    }
    await this.#recommendAndPlay(performance.now());
  }

  /**
   * "How do you feel now?" answered by voice and camera: a check-in (kept in the history) whose
   * reading is the waiting session's end point, marked as read by the sensors.
   */
  async answerOutcomeByReading(video: HTMLVideoElement | null): Promise<void> {
    if (this.phase === 'listening' || this.phase === 'thinking' || !this.learning.asking) return;
    if ((await this.#read(video)) === null) return;
    this.phase = 'ready';
    await this.#saveCheckIn(this.#modalities());
    const point = this.point;
    if (point) await this.learning.answer(point, 'sensors', Date.now());
  }

  /**
   * Listens (voice until the speaker stops, the camera meanwhile) and fuses both readings.
   * Returns when the recording ended (performance.now() ms), or null when nothing could be read
   * (then `messages` says why and `phase` is 'error').
   */
  async #read(video: HTMLVideoElement | null): Promise<number | null> {
    await this.load();
    this.#beginReading();
    this.phase = 'listening';
    const heard = this.#voice.listen({ maxSeconds: MAX_LISTEN_SECONDS, onRecorded: () => (this.phase = 'thinking') });
    // Without the camera's view, a reading the face panel already has (a photo) still counts.
    const seen = video ? this.#face.sample(video, { until: heard }) : Promise.resolve(null);
    const [voice, face] = await Promise.all([heard, seen]);
    this.phase = 'thinking';
    const recordingEnded = voice.ok ? voice.recordingEndedAtMs : performance.now();
    const voiceResult = voice.ok ? voice.reading.result : null;
    const faceReading = face ? (face.ok ? face.reading : null) : this.#face.reading;
    const readAt = Date.now();
    // Each sense's reading as its net gave it is kept for the listener's answer; what fusion sees
    // is tuned to them (where their calibration has shown that it helps).
    this.voiceReading = voiceResult
      ? this.personal.read('voice', { distribution: voiceResult.distribution, valence: voiceResult.valence, arousal: voiceResult.arousal, confidence: voiceResult.confidence, unsure: voiceResult.unsure }, readAt)
      : null;
    this.voiceReliability = voiceResult ? this.personal.reliability('voice', voiceReliability(voiceResult.reliability)) : null;
    this.faceReading = faceReading
      ? this.personal.read('face', { distribution: faceReading.distribution, valence: faceReading.valence, arousal: faceReading.arousal, confidence: faceReading.confidence }, readAt)
      : null;
    this.#readWords(readAt);
    this.#fuse();
    if (!this.point) {
      const micDenied = !voice.ok && voice.code === 'denied';
      const cameraDenied = face !== null && !face.ok && face.code === 'denied';
      this.messages = [micDenied && cameraDenied ? 'both-denied' : 'nothing-read'];
      this.phase = 'error';
      return null;
    }
    return recordingEnded;
  }

  /** A new reading starts: the last one's senses, messages and correction are cleared. */
  #beginReading(): void {
    this.messages = [];
    this.correction = null;
    this.learning.newReading();
    this.voiceReading = null;
    this.faceReading = null;
    this.textReading = null;
    this.textReliability = null;
  }

  /** The typed words, when they say something, join the reading (tuned to the listener like the other senses). */
  #readWords(readAt: number): void {
    const words = this.text.usable;
    if (!words) return;
    const { distribution, valence, arousal, confidence, unsure } = words;
    this.textReading = this.personal.read('text', { distribution, valence, arousal, confidence, unsure }, readAt);
    this.textReliability = this.personal.reliability('text', textReliability(words.reliability));
  }

  #modalities(): CheckInModality[] {
    const modalities: CheckInModality[] = [];
    if (this.voiceReading) modalities.push('voice');
    if (this.faceReading) modalities.push('face');
    if (this.textReading) modalities.push('text');
    return modalities;
  }

  /** Where the person says they really are; it replaces the reading (and counts in history). */
  async correct(point: AffectPoint): Promise<void> {
    const clamped = clampToPlane(point);
    this.correction = point;
    this.learning.newReading();
    this.#fuse();
    this.messages = clamped.valence !== point.valence || clamped.arousal !== point.arousal ? ['correction-clamped'] : [];
    this.recommend();
    await this.#saveCheckIn(['correction']);
    await this.personal.answered(clamped, 'correction', Date.now());
  }

  setMode(mode: Mode, target?: AffectPoint): void {
    this.mode = mode;
    if (target) this.target = clampToPlane(target);
    if (this.point) this.recommend();
  }

  /** Let Norae learn, or always use one strategy; the playlist is planned again. */
  setStrategyPreference(preference: StrategyPreference): void {
    this.learning.setPreference(preference);
    if (this.point) this.recommend();
  }

  setLength(kind: 'songs' | 'minutes', value: number): void {
    this.lengthKind = kind;
    this.lengthValue = Math.max(1, Math.min(kind === 'songs' ? 100 : 600, Math.round(value)));
    if (this.point) this.recommend();
  }

  /**
   * Songs as the recommender sees them: analysed, playable, placed where the listener says. Kept
   * until the library or the feedback changes (10,000 songs were walked twice per check-in: for
   * the playlist and for the check-in's plane). Shared: callers do not change it.
   */
  candidates(): readonly Candidate[] {
    return this.#candidates;
  }

  readonly #candidates = $derived.by((): readonly Candidate[] => {
    const out: Candidate[] = [];
    for (const song of this.#library.songs) {
      if (!song.hasAudio) continue;
      const fb = this.feedback.get(song.id);
      const emotion = this.#library.analyses.get(song.id)?.emotion;
      const place = fb?.placement ?? (emotion ? { valence: emotion.valence, arousal: emotion.arousal } : null);
      if (!place) continue;
      // Dislikes all but remove a song; each skip pushes it back a little; likes pull it forward.
      const penalty = (fb?.liked === false ? 2 : 0) + Math.min(6, fb?.skips ?? 0) * 0.05 + (fb?.liked === true ? -0.08 : 0);
      out.push({ id: song.id, valence: place.valence, arousal: place.arousal, durationSeconds: song.durationSeconds, penalty });
    }
    return out;
  });

  /** Builds the playlist for the current point, mode and length. */
  recommend(): void {
    const point = this.point;
    if (!point) return;
    const started = performance.now();
    const candidates = this.candidates();
    const length: PlaylistLength = this.lengthKind === 'songs' ? { songs: this.lengthValue } : { minutes: this.lengthValue };
    const messages: SessionMessage[] = this.messages.filter((m) => m === 'correction-clamped');
    if (this.#library.songs.length === 0) messages.push('empty-library');
    else if (candidates.length === 0) messages.push('nothing-analysed');
    else {
      if (candidates.length > 1 && inOneQuadrant(candidates)) messages.push('one-quadrant');
    }
    const destination = this.destination;
    let ids: string[];
    let waypoints: AffectPoint[];
    if (!destination) {
      const result = matchMood(candidates, point, length);
      ids = result.ids;
      waypoints = ids.map(() => point);
      this.stepVariance = null;
    } else {
      const choice = this.learning.choose(this.mode as LearnedMode);
      this.strategy = choice;
      const result = planForStrategy(choice.strategy, candidates, point, destination, length);
      ids = result.ids;
      waypoints = result.waypoints;
      this.stepVariance = result.stepVariance;
      // A path that ran out of songs says so (it never fills up by turning back).
      if (result.warnings.includes('short')) messages.push('short-path');
      else if (result.warnings.includes('sparse')) messages.push('sparse-path');
    }
    if (!destination) this.strategy = null;
    this.playlist = this.#entries(ids, waypoints, candidates);
    this.waypoints = waypoints;
    this.messages = messages;
    this.lastRecommendMs = performance.now() - started;
  }

  /** The playlist's entries: each song with where it was meant to be and why it is there. */
  #entries(ids: readonly SongId[], waypoints: readonly AffectPoint[], candidates: readonly Candidate[]): PlaylistEntry[] {
    const wanted = new Set(ids);
    const byId = new Map<SongId, Candidate>();
    for (const c of candidates) if (wanted.has(c.id)) byId.set(c.id, c);
    return ids.map((id, step) => {
      const c = byId.get(id) as Candidate;
      const emotion = this.#library.analyses.get(id)?.emotion;
      const placedByYou = Boolean(this.feedback.get(id)?.placement);
      return {
        id,
        valence: c.valence,
        arousal: c.arousal,
        mood: moodOf(c).mood,
        step,
        of: ids.length,
        distance: Math.hypot(c.valence - waypoints[step].valence, c.arousal - waypoints[step].arousal),
        reasons: emotion && !placedByYou ? explainPlacement(emotion.contributions, { minShare: 0.06, maxPerDirection: 2 }) : { valence: [], arousal: [] },
        placedByYou,
      };
    });
  }

  /** Plays the playlist from the start (or from `index`), with a short crossfade between songs. */
  async play(index = 0): Promise<void> {
    const path = this.playlist.map((e) => e.id);
    if (path.length > 0 && !this.learning.isActivePath(path)) await this.#startSession(path);
    await this.#player.playQueue(
      this.playlist.map((e) => e.id),
      index,
      { crossfadeSeconds: 3 },
    );
    const last = this.history.at(-1);
    if (last && last.playedSongIds.length === 0) {
      const updated = { ...last, mode: this.mode, playedSongIds: this.playlist.map((e) => e.id) };
      this.history = [...this.history.slice(0, -1), updated];
      await this.#store('check-in', () => this.#library.db.putCheckIn(updated));
    }
  }

  async like(id: SongId, liked: boolean | null): Promise<void> {
    await this.#updateFeedback(id, (f) => ({ ...f, liked }));
    await this.learning.rated(id, liked);
    if (liked === false && this.point) this.recommend();
  }

  async skip(id: SongId): Promise<void> {
    await this.#updateFeedback(id, (f) => ({ ...f, skips: f.skips + 1 }));
    await this.learning.skipped(id);
  }

  /** The listener stops the session: the music pauses and Norae asks how they feel now. */
  async endSession(): Promise<void> {
    this.#player.pause();
    await this.learning.end(Date.now());
  }

  /** "How do you feel now?": where the listener says they are (a tap on the plane). */
  async answerOutcome(point: AffectPoint): Promise<void> {
    await this.learning.answer(clampToPlane(point), 'said', Date.now());
    await this.personal.answered(clampToPlane(point), 'outcome', Date.now());
  }

  /**
   * A re-check during the session: the rest of the path is planned again from where the
   * listener is now (the songs already heard stay as they were; the current one plays on).
   */
  async recheck(point: AffectPoint, source: PointSource = 'said'): Promise<void> {
    const active = this.learning.active;
    const destination = this.destination;
    if (!active || !destination || active.strategy === null) return;
    const here = clampToPlane(point);
    const keep = this.#player.queue.slice(0, this.#player.index + 1);
    const kept = new Set(keep);
    const remaining = Math.max(1, active.path.length - keep.length);
    const plan = planForStrategy(active.strategy, this.candidates().filter((c) => !kept.has(c.id)), here, destination, { songs: remaining });
    const path = [...keep, ...plan.ids];
    const waypoints = [...keep.map((id) => this.waypoints[this.playlist.findIndex((e) => e.id === id)] ?? here), ...plan.waypoints];
    await this.learning.rechecked(here, source, Date.now(), path);
    if (source === 'said') await this.personal.answered(here, 'recheck', Date.now());
    this.#player.replaceUpcoming(plan.ids);
    this.playlist = this.#entries(path, waypoints, this.candidates());
    this.waypoints = waypoints;
  }

  /**
   * A mid-session re-check by voice and camera: the music pauses while Norae listens (it would
   * drown the voice), the reading re-plans the rest of the path, and the music goes on.
   */
  async recheckByReading(video: HTMLVideoElement | null): Promise<void> {
    if (this.phase === 'listening' || this.phase === 'thinking' || !this.learning.active) return;
    const wasPlaying = this.#player.playing;
    this.#player.pause();
    try {
      if ((await this.#read(video)) === null) return;
      this.phase = 'ready';
      await this.#saveCheckIn(this.#modalities());
      const point = this.point;
      if (point) await this.recheck(point, 'sensors');
    } finally {
      if (wasPlaying) await this.#player.resume();
    }
  }

  async #startSession(path: readonly SongId[]): Promise<void> {
    const f = this.fused;
    const point = this.point;
    if (!f || !point) return;
    const source: PointSource = f.source === 'correction' ? 'said' : 'sensors';
    await this.learning.start(
      {
        point,
        source,
        confidence: f.source === 'correction' ? 1 : f.confidence,
        checkInId: this.history.at(-1)?.id ?? null,
        mode: this.mode === 'match' ? 'match' : this.mode,
        target: this.destination,
        choice: this.mode === 'match' ? null : this.strategy,
        path,
      },
      Date.now(),
    );
  }

  /** The listener moves a song on the plane: their placement overrides the analyser's. */
  async place(id: SongId, point: AffectPoint | null): Promise<void> {
    await this.#updateFeedback(id, (f) => ({ ...f, placement: point ? clampToPlane(point) : null }));
    if (this.point) this.recommend();
  }

  /** Deletes the mood history; when the database refuses, it stays (and `saveProblem` says so). */
  async clearHistory(): Promise<void> {
    if (await this.#store('history-delete', () => this.#library.db.clearMoodHistory())) {
      this.history = [];
      this.learning.cleared();
      this.personal.forgotten();
    }
  }

  async #updateFeedback(id: SongId, change: (f: SongFeedback) => SongFeedback): Promise<void> {
    const current = this.feedback.get(id) ?? { id, liked: null, skips: 0, placement: null, updatedAt: 0 };
    const next = { ...change(current), updatedAt: Date.now() };
    const map = new Map(this.feedback);
    map.set(id, next);
    this.feedback = map;
    await this.#store('feedback', () => this.#library.db.putFeedback(next));
  }

  #fuse(): void {
    this.fused = fuseEmotions({
      voice: this.voiceReading,
      face: this.faceReading,
      text: this.textReading,
      reliability: { voice: this.voiceReliability ?? undefined, face: this.personal.reliability('face', FACE_RELIABILITY), text: this.textReliability ?? undefined },
      correction: this.correction,
    });
  }

  async #saveCheckIn(modalities: CheckInModality[]): Promise<void> {
    const f = this.fused;
    if (!f || f.source === 'none') return;
    const checkIn: CheckIn = {
      id: Date.now(),
      modalities,
      emotion: f.top,
      distribution: f.distribution,
      valence: f.valence,
      arousal: f.arousal,
      mood: f.mood,
      confidence: f.confidence,
      mode: this.mode,
      playedSongIds: [],
      ...(modalities.includes('text') ? { words: this.text.words.trim() } : {}),
    };
    this.history = [...this.history, checkIn];
    await this.#store('check-in', () => this.#library.db.putCheckIn(checkIn));
  }

  /** Runs one storage write; a failure is logged and shown (`saveProblem`), never thrown at the UI. */
  async #store(what: SaveTarget, write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      if (this.saveProblem?.what === what) this.saveProblem = null;
      return true;
    } catch (error) {
      console.error(`Norae: could not store the ${what} on this device`, error);
      this.saveProblem = { what, storageFull: error instanceof StorageFullError };
      return false;
    }
  }
}

/** Whether every candidate sits in the same quadrant of the plane (the library cannot lead anywhere). */
function inOneQuadrant(candidates: readonly Candidate[]): boolean {
  const quadrantOf = (c: Candidate): number => (c.valence >= 0 ? 1 : 0) + (c.arousal >= 0 ? 2 : 0);
  const first = quadrantOf(candidates[0]);
  return candidates.every((c) => quadrantOf(c) === first);
}
