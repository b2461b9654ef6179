import { gaussian } from '../random.ts';
import { STRATEGIES, type StrategyId } from './session.ts';

/** One finished session as the learner sees it: the strategy used and how far it moved the listener. */
export interface StrategyOutcome {
  strategy: StrategyId;
  /** Signed move toward the target (plane units; see `moveTowardTarget`). */
  progress: number;
}

/** What the learner believes about one strategy. */
export interface ArmSummary {
  strategy: StrategyId;
  sessions: number;
  /** Plain mean of the measured moves; null before the first session. */
  meanProgress: number | null;
  /** Posterior mean and standard deviation of the strategy's true mean move. */
  posteriorMean: number;
  posteriorSd: number;
}

/** A difference strong enough to tell the listener about. */
export interface StrategyClaim {
  better: StrategyId;
  worse: StrategyId;
  betterMean: number;
  worseMean: number;
  /** Sessions behind the claim (both strategies). */
  sessions: number;
  /** Posterior probability that `better` really moves the listener further. */
  probability: number;
}

export interface StrategyDecision {
  strategy: StrategyId;
  /** exploring: too few sessions to judge; learned: the claimed best; chance: Thompson sampling's draw without a claim (or against it). */
  chosenBy: 'exploring' | 'learned' | 'chance';
  arms: ArmSummary[];
  claim: StrategyClaim | null;
  sessions: number;
}

/**
 * The learner's settings. The prior says a strategy's mean move is unknown within about ±1 plane
 * unit; the noise (how much one person's sessions vary) is estimated from the sessions, never
 * below `minNoiseSd`, so that two lucky sessions cannot make a claim.
 */
export const BANDIT = {
  priorSd: 0.5,
  defaultNoiseSd: 0.3,
  minNoiseSd: 0.15,
  /** Sessions each strategy gets before Norae chooses by outcomes (as many as a claim needs: the
   * weaker strategy is then rarely drawn, and must not be left one session short of a fair test). */
  explorePerArm: 3,
  /**
   * Each strategy keeps at least this share of the sessions: Thompson sampling alone can starve a
   * strategy after one unlucky start, and its few low outcomes would then stand as a false claim.
   */
  minShare: 1 / 6,
  /** Sessions each strategy needs before Norae says one works better. */
  claimPerArm: 3,
  claimProbability: 0.99,
  /** Smaller differences (plane units) are not worth a sentence. */
  claimMinDifference: 0.15,
};

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Pooled within-strategy standard deviation of the moves (the default while there are too few). */
function noiseSd(byArm: ReadonlyMap<StrategyId, number[]>): number {
  let squares = 0;
  let freedom = 0;
  for (const xs of byArm.values()) {
    if (xs.length < 2) continue;
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    squares += xs.reduce((s, x) => s + (x - mean) ** 2, 0);
    freedom += xs.length - 1;
  }
  return Math.max(BANDIT.minNoiseSd, freedom >= 2 ? Math.sqrt(squares / freedom) : BANDIT.defaultNoiseSd);
}

/** Each strategy's posterior (normal prior at 0, normal noise). */
export function summariseArms(outcomes: readonly StrategyOutcome[], strategies: readonly StrategyId[] = STRATEGIES): ArmSummary[] {
  const byArm = new Map<StrategyId, number[]>(strategies.map((s) => [s, []]));
  for (const o of outcomes) if (Number.isFinite(o.progress)) byArm.get(o.strategy)?.push(o.progress);
  const sd = noiseSd(byArm);
  return strategies.map((strategy) => {
    const xs = byArm.get(strategy) ?? [];
    const sum = xs.reduce((s, x) => s + x, 0);
    const precision = 1 / BANDIT.priorSd ** 2 + xs.length / sd ** 2;
    return {
      strategy,
      sessions: xs.length,
      meanProgress: xs.length > 0 ? sum / xs.length : null,
      posteriorMean: sum / sd ** 2 / precision,
      posteriorSd: Math.sqrt(1 / precision),
    };
  });
}

/** The claim "X moves you further than every other strategy", when the sessions support it. */
export function claimOf(arms: readonly ArmSummary[]): StrategyClaim | null {
  if (arms.length < 2 || arms.some((a) => a.sessions < BANDIT.claimPerArm)) return null;
  const best = arms.reduce((a, b) => (b.posteriorMean > a.posteriorMean ? b : a));
  let weakest: StrategyClaim | null = null;
  for (const other of arms) {
    if (other === best) continue;
    const probability = normalCdf((best.posteriorMean - other.posteriorMean) / Math.hypot(best.posteriorSd, other.posteriorSd));
    const difference = (best.meanProgress ?? 0) - (other.meanProgress ?? 0);
    if (probability < BANDIT.claimProbability || difference < BANDIT.claimMinDifference) return null;
    if (!weakest || probability < weakest.probability) {
      weakest = {
        better: best.strategy,
        worse: other.strategy,
        betterMean: best.meanProgress ?? 0,
        worseMean: other.meanProgress ?? 0,
        sessions: best.sessions + other.sessions,
        probability,
      };
    }
  }
  return weakest;
}

/**
 * Which path strategy to use for the next session: every strategy first gets a few sessions
 * (the least-tried goes next), then Thompson sampling — each strategy's mean move is drawn from
 * its posterior and the largest draw wins, so a strategy is chosen as often as it is likely to
 * be the best. `random` returns uniform numbers in [0, 1) (injected for tests).
 */
export function decideStrategy(outcomes: readonly StrategyOutcome[], random: () => number = Math.random, strategies: readonly StrategyId[] = STRATEGIES): StrategyDecision {
  const arms = summariseArms(outcomes, strategies);
  const claim = claimOf(arms);
  const sessions = arms.reduce((s, a) => s + a.sessions, 0);
  const fewest = Math.min(...arms.map((a) => a.sessions));
  if (fewest < Math.max(BANDIT.explorePerArm, Math.floor(BANDIT.minShare * (sessions + 1)))) {
    const leastTried = arms.filter((a) => a.sessions === fewest);
    const pick = leastTried[Math.min(leastTried.length - 1, Math.floor(random() * leastTried.length))];
    return { strategy: pick.strategy, chosenBy: 'exploring', arms, claim, sessions };
  }
  let best = arms[0];
  let bestDraw = -Infinity;
  for (const arm of arms) {
    const draw = arm.posteriorMean + arm.posteriorSd * gaussian(random);
    if (draw > bestDraw) {
      bestDraw = draw;
      best = arm;
    }
  }
  return { strategy: best.strategy, chosenBy: claim?.better === best.strategy ? 'learned' : 'chance', arms, claim, sessions };
}
