import { describe, expect, it } from 'vitest';
import { BANDIT, claimOf, decideStrategy, normalCdf, summariseArms, type StrategyOutcome } from '../../../../src/core/sessions/bandit.ts';
import type { StrategyId } from '../../../../src/core/sessions/session.ts';
import { gaussian, mulberry32 as seeded } from '../../../../src/core/random.ts';


/**
 * A simulated listener: each strategy moves them by its true mean plus noise. Returns which
 * strategy Norae chose in each session and whether it claimed a difference before each.
 */
function simulate(trueMean: Record<StrategyId, number>, sessions: number, seed: number, noiseSd = 0.2): { chosen: StrategyId[]; claims: Array<StrategyId | null> } {
  const random = seeded(seed);
  const outcomes: StrategyOutcome[] = [];
  const chosen: StrategyId[] = [];
  const claims: Array<StrategyId | null> = [];
  for (let i = 0; i < sessions; i++) {
    const decision = decideStrategy(outcomes, random);
    chosen.push(decision.strategy);
    claims.push(decision.claim?.better ?? null);
    outcomes.push({ strategy: decision.strategy, progress: trueMean[decision.strategy] + noiseSd * gaussian(random) });
  }
  return { chosen, claims };
}

describe('normalCdf', () => {
  it('matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.6448536)).toBeCloseTo(0.95, 5);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 5);
    expect(normalCdf(3)).toBeCloseTo(0.99865, 5);
  });
});

describe('decideStrategy', () => {
  it('tries every strategy first, the least-tried next', () => {
    expect(decideStrategy([], () => 0).chosenBy).toBe('exploring');
    const afterGradual = decideStrategy([{ strategy: 'gradual', progress: 0.5 }], () => 0.99);
    expect(afterGradual).toMatchObject({ strategy: 'direct', chosenBy: 'exploring', sessions: 1 });
    const oneEach = decideStrategy([{ strategy: 'gradual', progress: 0.5 }, { strategy: 'direct', progress: -0.5 }], () => 0.2);
    expect(oneEach.chosenBy).toBe('exploring');
    // After three each it chooses by outcomes, but never lets a strategy fall below a sixth of the sessions.
    const six: StrategyOutcome[] = [...Array(3).fill({ strategy: 'gradual', progress: 0.6 }), ...Array(3).fill({ strategy: 'direct', progress: 0 })];
    expect(decideStrategy(six, () => 0.5)).toMatchObject({ strategy: 'gradual', chosenBy: 'learned' });
    const starved = [...six, ...Array(18).fill({ strategy: 'gradual', progress: 0.6 })];
    expect(decideStrategy(starved, () => 0.5)).toMatchObject({ strategy: 'direct', chosenBy: 'exploring' });
  });

  it('when one strategy moves a simulated user further, chooses it in ≥ 80 % of sessions after the tenth', () => {
    let later = 0;
    let better = 0;
    let claimedRight = 0;
    let claimedWrong = 0;
    const users = 200;
    for (let user = 0; user < users; user++) {
      // Gradual paths help this listener (+0.35 on average), the direct jump barely (+0.05).
      const { chosen, claims } = simulate({ gradual: 0.35, direct: 0.05 }, 30, 1000 + user);
      for (const s of chosen.slice(10)) {
        later++;
        if (s === 'gradual') better++;
      }
      if (claims[29] === 'gradual') claimedRight++;
      if (claims.includes('direct')) claimedWrong++;
    }
    expect(better / later).toBeGreaterThanOrEqual(0.8);
    // By the 30th session most users are told which strategy works for them; none wrongly.
    expect(claimedRight / users).toBeGreaterThan(0.65);
    expect(claimedWrong / users).toBe(0);
  });

  it('with no difference between strategies keeps exploring and claims nothing', () => {
    let later = 0;
    let gradual = 0;
    let claimedAtTwenty = 0;
    const users = 400;
    for (let user = 0; user < users; user++) {
      const { chosen, claims } = simulate({ gradual: 0.2, direct: 0.2 }, 20, 5000 + user);
      for (const s of chosen.slice(10)) {
        later++;
        if (s === 'gradual') gradual++;
      }
      if (claims[19] !== null) claimedAtTwenty++;
    }
    const share = gradual / later;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
    expect(claimedAtTwenty / users).toBeLessThanOrEqual(0.05);
  });

  it('claims nothing from too few sessions, however large the difference', () => {
    const two: StrategyOutcome[] = [
      { strategy: 'gradual', progress: 0.9 },
      { strategy: 'gradual', progress: 0.9 },
      { strategy: 'direct', progress: -0.9 },
      { strategy: 'direct', progress: -0.9 },
    ];
    expect(claimOf(summariseArms(two))).toBeNull();
    const three = [...two, { strategy: 'gradual' as const, progress: 0.9 }, { strategy: 'direct' as const, progress: -0.9 }];
    const claim = claimOf(summariseArms(three));
    expect(claim).toMatchObject({ better: 'gradual', worse: 'direct', sessions: 6 });
    expect(claim?.betterMean).toBeCloseTo(0.9, 9);
    expect(claim?.worseMean).toBeCloseTo(-0.9, 9);
    expect(claim?.probability).toBeGreaterThan(BANDIT.claimProbability);
  });

  it('a small difference is not worth a claim, however sure', () => {
    const outcomes: StrategyOutcome[] = [];
    for (let i = 0; i < 200; i++) outcomes.push({ strategy: 'gradual', progress: 0.3 + (i % 2 ? 0.01 : -0.01) }, { strategy: 'direct', progress: 0.2 + (i % 2 ? 0.01 : -0.01) });
    expect(claimOf(summariseArms(outcomes))).toBeNull();
  });

  it('shrinks toward no effect: the posterior mean lies between 0 and the sample mean', () => {
    const [gradual, direct] = summariseArms([{ strategy: 'gradual', progress: 0.4 }, { strategy: 'gradual', progress: 0.6 }]);
    expect(gradual.meanProgress).toBeCloseTo(0.5, 9);
    expect(gradual.posteriorMean).toBeGreaterThan(0);
    expect(gradual.posteriorMean).toBeLessThan(0.5);
    expect(direct).toMatchObject({ sessions: 0, meanProgress: null, posteriorMean: 0, posteriorSd: BANDIT.priorSd });
  });
});
