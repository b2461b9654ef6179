import { koteTargets } from './kote-emotions.ts';
import type { TextToken } from './text-features.ts';
import type { EmotionDistribution } from '../emotion/emotions.ts';
import type { AffectPoint } from '../emotion/circumplex.ts';

/**
 * Korean words that say how the writer feels, by stem, each read as KOTE emotions (so they land
 * where kote-emotions.ts puts those on the plane). Why a word list beside the net: neither
 * training corpus is written in the first person about the writer's state — a movie review's
 * "슬프다" praises a sad film, a news comment's "지친다" is about politics — so the net misreads
 * plain check-ins ("비 오는 날이라 우울하네" as pleasant). The list is Norae's own; the model card
 * lists it and what it costs on the corpora. Words whose meaning in general writing is not a
 * feeling of the writer (좋은 "a good …", 기대 as in 기대 이하 "below expectations", 눈물 at a
 * moving film, 괜찮은데 "fine, but", laughter) were taken out after their cost on the corpora's
 * out-of-fold readings was seen; 설렌 (설렌다) was added after the developers' check list showed
 * it missing.
 */
const FEELING_STEMS: Readonly<Record<string, readonly string[]>> = {
  // worn out, low
  지쳤: ['힘듦/지침'], 지치: ['힘듦/지침'], 피곤: ['힘듦/지침'], 졸려: ['힘듦/지침'], 졸리: ['힘듦/지침'], 졸음: ['힘듦/지침'],
  녹초: ['힘듦/지침'], 방전: ['힘듦/지침'], 힘들: ['힘듦/지침'], 힘드: ['힘듦/지침'], 힘듦: ['힘듦/지침'], 나른: ['힘듦/지침', '편안/쾌적'],
  무기력: ['힘듦/지침', '절망'], 번아웃: ['힘듦/지침', '절망'], 귀찮: ['귀찮음'], 심심: ['재미없음'], 지루: ['재미없음'], 재미없: ['재미없음'],
  // sad
  슬프: ['슬픔'], 슬퍼: ['슬픔'], 슬픔: ['슬픔'], 우울: ['슬픔', '절망'], 외롭: ['슬픔'], 외로: ['슬픔'],
  쓸쓸: ['슬픔'], 허전: ['슬픔'], 서러: ['서러움'], 서럽: ['서러움'], 속상: ['안타까움/실망', '슬픔'], 울적: ['슬픔'], 허무: ['절망'],
  절망: ['절망'], 비참: ['절망', '슬픔'], 괴로: ['슬픔', '힘듦/지침'], 괴롭: ['슬픔', '힘듦/지침'], 실망: ['안타까움/실망'], 아쉽: ['안타까움/실망'],
  // anxious, afraid
  불안: ['불안/걱정'], 걱정: ['불안/걱정'], 초조: ['불안/걱정'], 떨려: ['불안/걱정'], 떨리: ['불안/걱정'], 긴장: ['불안/걱정'],
  무서: ['공포/무서움'], 무섭: ['공포/무서움'], 두려: ['공포/무서움'], 두렵: ['공포/무서움'], 겁나: ['공포/무서움'], 조마조마: ['불안/걱정'],
  막막: ['불안/걱정', '절망'], 부담: ['부담/안_내킴'], 스트레스: ['짜증', '힘듦/지침'],
  // angry
  화나: ['화남/분노'], 화났: ['화남/분노'], 화난: ['화남/분노'], 열받: ['화남/분노', '짜증'], 빡치: ['화남/분노', '짜증'], 빡쳐: ['화남/분노', '짜증'],
  짜증: ['짜증'], 분노: ['화남/분노'], 억울: ['서러움', '화남/분노'], 답답: ['짜증', '불평/불만'], 싫어: ['증오/혐오', '짜증'], 싫다: ['증오/혐오', '짜증'],
  역겨: ['역겨움/징그러움'], 역겹: ['역겨움/징그러움'],
  // glad, excited
  행복: ['행복'], 기쁘: ['기쁨'], 기뻐: ['기쁨'], 기쁨: ['기쁨'], 신나: ['즐거움/신남'], 신난: ['즐거움/신남'], 즐겁: ['즐거움/신남'], 즐거: ['즐거움/신남'],
  재밌: ['즐거움/신남'], 재미있: ['즐거움/신남'], 설레: ['기대감', '즐거움/신남'], 설렌: ['기대감', '즐거움/신남'], 설렘: ['기대감', '즐거움/신남'], 두근: ['기대감'], 들뜨: ['즐거움/신남'],
  들떠: ['즐거움/신남'], 최고: ['기쁨', '감동/감탄'], 좋아: ['기쁨'], 좋다: ['기쁨'], 좋네: ['기쁨'], 좋은데: ['기쁨'], 좋아요: ['기쁨'], 뿌듯: ['뿌듯함'],
  감동: ['감동/감탄'], 고맙: ['고마움'], 고마워: ['고마움'], 감사: ['고마움'], 웃겨: ['즐거움/신남'], 웃기: ['즐거움/신남'], 기대돼: ['기대감'], 기대된: ['기대감'],
  // calm, at ease
  편안: ['편안/쾌적'], 편하: ['편안/쾌적'], 편해: ['편안/쾌적'], 차분: ['편안/쾌적'], 여유: ['편안/쾌적'], 느긋: ['편안/쾌적'], 평온: ['편안/쾌적'],
  평화: ['편안/쾌적'], 홀가분: ['안심/신뢰', '편안/쾌적'], 상쾌: ['편안/쾌적', '기쁨'], 개운: ['편안/쾌적'], 안심: ['안심/신뢰'], 다행: ['안심/신뢰'],
  포근: ['편안/쾌적'],
  // crying, as typed (stretched runs are folded to three by normaliseText); laughter (ㅋㅋ, ㅎㅎ)
  // is left to the net: it laughs at things as often as it is glad
  ㅠㅠ: ['슬픔', '서러움'], ㅜㅜ: ['슬픔', '서러움'],
};

/** Stems longest first, so 재미없 wins over 재미있's neighbours and 좋아요 over 좋아. */
const STEMS = Object.keys(FEELING_STEMS).sort((a, b) => b.length - a.length);

/** Words that deny the feeling named just before them: 걱정 없어, 걱정 안 돼 (the 안 is a negator there). */
const DENIES_PREVIOUS = /^없(어|다|음|네|고|는|어요|습니다)?$/;

/** A feeling word found in a text. */
export interface FeelingWord {
  /** The word as written (normalised). */
  word: string;
  stem: string;
  /** Negated: 안 슬퍼, 슬프지 않아, 걱정 없어. */
  negated: boolean;
}

/** Every feeling word in the tokens (at most one stem per word), with its negation. */
export function findFeelingWords(tokens: readonly TextToken[]): FeelingWord[] {
  const found: FeelingWord[] = [];
  tokens.forEach((t, i) => {
    if (t.negator) return;
    const stem = STEMS.find((s) => t.word.includes(s));
    if (!stem) return;
    const next = tokens[i + 1];
    const deniedAfter = next !== undefined && (next.negator || DENIES_PREVIOUS.test(next.word));
    found.push({ word: t.word, stem, negated: t.negated || deniedAfter });
  });
  return found;
}

/**
 * What the feeling words say: the mean of their KOTE targets. A negated unpleasant feeling reads
 * as none ("안 피곤해" is not tired, nor energetic); a negated pleasant one as mild disappointment
 * ("안 행복해" is not neutral).
 */
export function feelingWordsReading(words: readonly FeelingWord[]): { distribution: EmotionDistribution; point: AffectPoint } | null {
  const labels = words.flatMap((w) => {
    const names = FEELING_STEMS[w.stem];
    if (!w.negated) return names;
    const pleasant = (koteTargets(names)?.point.valence ?? 0) > 0;
    return pleasant ? ['안타까움/실망'] : ['없음'];
  });
  const targets = koteTargets(labels);
  return targets ? { distribution: targets.distribution, point: targets.point } : null;
}

/**
 * How much the feeling words count against the net: most of the say, since the net never saw a
 * first-person check-in (0.6 for one word, 0.75 for two, at most 0.85), never all of it.
 */
export function feelingWordsWeight(count: number): number {
  return count === 0 ? 0 : Math.min(0.85, 0.6 + 0.15 * (count - 1));
}

/** Every stem and its KOTE emotions, for the model card. */
export function feelingStems(): ReadonlyArray<readonly [string, readonly string[]]> {
  return Object.entries(FEELING_STEMS);
}
