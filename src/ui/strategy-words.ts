import type { LearnedMode, StrategyId } from '../core/sessions/session.ts';
import type { StrategyChoice } from '../state/learning.svelte.ts';
import { t } from './i18n/i18n.svelte.ts';

/** A move on the plane with its sign (+0.31, −0.12), as the strategy lines show it. */
export function signedMove(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '–';
  const rounded = Math.round(x * 100) / 100;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(2)}`;
}

/** One line saying why this strategy was chosen, with the numbers and the session count behind it. */
export function strategyWhy(choice: StrategyChoice, mode: LearnedMode): string {
  const name = (s: StrategyId): string => t(`strategy.name.${s}`);
  const { decision } = choice;
  const claim = decision.claim;
  if (choice.chosenBy === 'you') return t('strategy.why.you', { strategy: name(choice.strategy) });
  if (choice.chosenBy === 'exploring') return t('strategy.why.exploring', { strategy: name(choice.strategy), sessions: decision.sessions });
  if (claim) {
    const numbers = { better: t(`strategy.plural.${claim.better}`), betterMean: signedMove(claim.betterMean), worseMean: signedMove(claim.worseMean), sessions: claim.sessions };
    return choice.chosenBy === 'learned' ? t(`strategy.why.learned.${mode}`, numbers) : t('strategy.why.checking', { ...numbers, strategy: name(choice.strategy) });
  }
  const mean = (s: StrategyId): string => signedMove(decision.arms.find((a) => a.strategy === s)?.meanProgress ?? null);
  return t('strategy.why.chance', { gradual: mean('gradual'), direct: mean('direct'), sessions: decision.sessions, strategy: name(choice.strategy) });
}
