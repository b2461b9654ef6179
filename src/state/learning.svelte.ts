import type { AffectPoint } from '../core/emotion/circumplex.ts';
import type { SongId } from '../core/library/song.ts';
import { decideStrategy, type StrategyDecision, type StrategyOutcome } from '../core/sessions/bandit.ts';
import { STRATEGIES, outcomeOf, type LearnedMode, type MoodSession, type PointSource, type StrategyId } from '../core/sessions/session.ts';
import { readPreference, writePreference } from '../adapters/storage/preferences.ts';

/** Let Norae choose by what it measured, or always use one strategy. */
export type StrategyPreference = 'learn' | StrategyId;
export const STRATEGY_PREFERENCES: readonly StrategyPreference[] = ['learn', ...STRATEGIES];
/** Re-checks during a session: off, or a tap every few songs. */
export type RecheckPreference = 'off' | 'tap';

const STRATEGY_KEY = 'norae.strategy';
const RECHECK_KEY = 'norae.recheck';
/** A session left unanswered (the tab was closed) is asked about on the next visit within this time. */
const ASK_LATER_WITHIN_MS = 12 * 3_600_000;
/** A new check-in this soon after a session answers that session's "How do you feel now?". */
const NEXT_READING_ANSWERS_WITHIN_MS = 2 * 3_600_000;
/** A mid-session re-check is offered after every this many songs heard. */
export const RECHECK_EVERY_SONGS = 3;

/** The strategy for the next session and why (the UI words it). */
export interface StrategyChoice {
  strategy: StrategyId;
  chosenBy: 'you' | 'exploring' | 'learned' | 'chance';
  decision: StrategyDecision;
}

/** What starts a session: where the listener is, by whose word, and the playlist built for it. */
export interface SessionStart {
  point: AffectPoint;
  source: PointSource;
  confidence: number;
  checkInId: number | null;
  mode: LearnedMode | 'match';
  target: AffectPoint | null;
  choice: StrategyChoice | null;
  path: readonly SongId[];
}

/**
 * Did it help? Every playlist started from a check-in is a session; when it ends (the last song,
 * the listener stops, or they come back after leaving) Norae asks once how they feel now and
 * stores the move toward the target. Per mode, the path strategy for the next session comes
 * from those outcomes (Thompson sampling, `decideStrategy`) unless the listener picked one.
 * `store` writes a session and reports a refusal to the listener (SessionState's save problem).
 */
export class LearningState {
  sessions = $state.raw<MoodSession[]>([]);
  /** The session whose playlist is playing now. */
  active = $state.raw<MoodSession | null>(null);
  /** The session waiting for "How do you feel now?" (the prompt is shown while this is set). */
  asking = $state.raw<MoodSession | null>(null);
  /** True when a mid-session re-check is due (opt-in). */
  recheckDue = $state(false);
  preference = $state<StrategyPreference>(readPreference(STRATEGY_KEY, STRATEGY_PREFERENCES, 'learn'));
  recheck = $state<RecheckPreference>(readPreference(RECHECK_KEY, ['off', 'tap'] as const, 'off'));

  readonly #store: (session: MoodSession) => Promise<boolean>;
  readonly #random: () => number;
  #choices = new Map<LearnedMode, StrategyChoice>();

  constructor(store: (session: MoodSession) => Promise<boolean>, random: () => number = Math.random) {
    this.#store = store;
    this.#random = random;
  }

  /** Takes the stored sessions; one left unanswered on the last visit is asked about now. */
  loaded(sessions: readonly MoodSession[], nowMs: number): void {
    this.sessions = [...sessions].sort((a, b) => a.id - b.id);
    const last = this.sessions.at(-1);
    if (last && !last.outcome && !last.dismissed && nowMs - last.id <= ASK_LATER_WITHIN_MS) {
      this.asking = last.endedAt === null ? { ...last, endedAt: nowMs } : last;
    }
  }

  /** The measured outcomes of one mode's sessions. */
  outcomesFor(mode: LearnedMode): StrategyOutcome[] {
    return this.sessions
      .filter((s) => s.mode === mode && s.strategy !== null && s.outcome !== null && Number.isFinite(s.outcome.progress))
      .map((s) => ({ strategy: s.strategy as StrategyId, progress: (s.outcome as NonNullable<MoodSession['outcome']>).progress }));
  }

  /** The strategy for a session in `mode`: drawn once per reading and mode, so re-planning does not re-draw it. */
  choose(mode: LearnedMode): StrategyChoice {
    const kept = this.#choices.get(mode);
    if (kept && (this.preference === 'learn' ? kept.chosenBy !== 'you' : kept.strategy === this.preference && kept.chosenBy === 'you')) return kept;
    const decision = decideStrategy(this.outcomesFor(mode), this.#random);
    const choice: StrategyChoice =
      this.preference === 'learn' ? { strategy: decision.strategy, chosenBy: decision.chosenBy, decision } : { strategy: this.preference, chosenBy: 'you', decision };
    this.#choices.set(mode, choice);
    return choice;
  }

  /** A new reading: the next playlist draws its strategy afresh. */
  newReading(): void {
    this.#choices.clear();
  }

  setPreference(preference: StrategyPreference): void {
    this.preference = preference;
    this.#choices.clear();
    writePreference(STRATEGY_KEY, preference);
  }

  setRecheck(recheck: RecheckPreference): void {
    this.recheck = recheck;
    if (recheck === 'off') this.recheckDue = false;
    writePreference(RECHECK_KEY, recheck);
  }

  /**
   * A playlist starts: a new session. A session before it that was never answered takes this
   * reading as its outcome when it is recent (the listener told us where they are now).
   */
  async start(start: SessionStart, nowMs: number): Promise<void> {
    const previous = this.active ?? this.asking ?? this.sessions.at(-1);
    if (previous && !previous.outcome && !previous.dismissed && nowMs - (previous.endedAt ?? nowMs) <= NEXT_READING_ANSWERS_WITHIN_MS) {
      await this.#save({ ...previous, endedAt: previous.endedAt ?? nowMs, outcome: outcomeOf(previous, start.point, start.source, nowMs) });
    }
    this.asking = null;
    this.recheckDue = false;
    const session: MoodSession = {
      id: Math.max(nowMs, (this.sessions.at(-1)?.id ?? 0) + 1),
      checkInId: start.checkInId,
      start: start.point,
      startSource: start.source,
      startConfidence: start.confidence,
      mode: start.mode,
      target: start.target,
      strategy: start.choice?.strategy ?? null,
      chosenBy: start.choice?.chosenBy ?? null,
      path: [...start.path],
      played: [],
      skipped: [],
      liked: [],
      disliked: [],
      endedAt: null,
      outcome: null,
      rechecks: [],
      dismissed: false,
    };
    this.active = session;
    this.#choices.clear();
    await this.#save(session);
  }

  /** Whether `path` is the running session's playlist (playing it again from another song is the same session). */
  isActivePath(path: readonly SongId[]): boolean {
    const a = this.active;
    return a !== null && a.path.length === path.length && a.path.every((id, i) => id === path[i]);
  }

  /** A song of the session began to be heard. */
  async heard(id: SongId): Promise<void> {
    const a = this.active;
    if (!a || !a.path.includes(id) || a.played.includes(id)) return;
    const played = [...a.played, id];
    if (this.recheck === 'tap' && played.length % RECHECK_EVERY_SONGS === 0 && played.length < a.path.length) this.recheckDue = true;
    await this.#save({ ...a, played });
  }

  async skipped(id: SongId): Promise<void> {
    const a = this.active;
    if (a && a.path.includes(id) && !a.skipped.includes(id)) await this.#save({ ...a, skipped: [...a.skipped, id] });
  }

  async rated(id: SongId, liked: boolean | null): Promise<void> {
    const a = this.active;
    if (!a || !a.path.includes(id)) return;
    const liked_ = a.liked.filter((x) => x !== id);
    const disliked = a.disliked.filter((x) => x !== id);
    if (liked === true) liked_.push(id);
    if (liked === false) disliked.push(id);
    await this.#save({ ...a, liked: liked_, disliked });
  }

  /** A re-check during the session: where the listener is now (the caller re-plans the rest). */
  async rechecked(point: AffectPoint, source: PointSource, nowMs: number, newPath: readonly SongId[]): Promise<void> {
    const a = this.active;
    this.recheckDue = false;
    if (!a) return;
    await this.#save({ ...a, path: [...newPath], rechecks: [...a.rechecks, { at: nowMs, point, source }] });
  }

  /** The listener skipped this re-check; the next comes after a few more songs. */
  skipRecheck(): void {
    this.recheckDue = false;
  }

  /** The playlist ended or the listener stopped: ask once how they feel now. */
  async end(nowMs: number): Promise<void> {
    const a = this.active;
    if (!a) return;
    const ended = { ...a, endedAt: nowMs };
    this.active = null;
    this.recheckDue = false;
    this.asking = ended;
    await this.#save(ended);
  }

  /** The answer to "How do you feel now?". */
  async answer(end: AffectPoint, source: PointSource, nowMs: number): Promise<void> {
    const s = this.asking;
    if (!s) return;
    this.asking = null;
    this.#choices.clear();
    await this.#save({ ...s, endedAt: s.endedAt ?? nowMs, outcome: outcomeOf(s, end, source, nowMs) });
  }

  /** The listener closed the prompt: not asked again for this session. */
  async dismiss(): Promise<void> {
    const s = this.asking;
    if (!s) return;
    this.asking = null;
    await this.#save({ ...s, dismissed: true });
  }

  /** After the history was deleted. */
  cleared(): void {
    this.sessions = [];
    this.active = null;
    this.asking = null;
    this.recheckDue = false;
    this.#choices.clear();
  }

  /** Keeps the session in memory (this visit) and on the device; the store reports a refusal. */
  async #save(session: MoodSession): Promise<void> {
    const others = this.sessions.filter((s) => s.id !== session.id);
    this.sessions = [...others, session].sort((a, b) => a.id - b.id);
    if (this.active?.id === session.id) this.active = session;
    await this.#store(session);
  }
}
