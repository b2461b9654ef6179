import { normaliseDistribution, type EmotionDistribution, type EmotionLabel } from '../emotion/emotions.ts';
import type { AffectPoint } from '../emotion/circumplex.ts';

/**
 * KOTE's 44 emotions (Jeon et al. 2022) as Norae reads them: each name → a share of Norae's
 * emotions, a point on the valence–arousal plane, and its plain polarity. Our design, not a
 * measurement: the points follow where Russell's (1980) circumplex puts the nearest English
 * affect word (tired and bored low and unpleasant, relaxed low and pleasant, annoyed and
 * frustrated high and unpleasant …), at a radius that says how strongly the word is felt.
 * The model card lists the table and why. Training turns a comment's names into soft targets
 * with {@link koteTargets}; evaluation uses {@link kotePolarity} to keep only clear comments.
 */
export interface KoteEmotion {
  /** Shares of Norae's emotions (normalised when a comment's names are combined). */
  emotions: Partial<Record<EmotionLabel, number>>;
  valence: number;
  arousal: number;
  /** A plain reading of the name: +1 pleasant, −1 unpleasant, 0 neither (surprise, realisation, none). */
  polarity: 1 | -1 | 0;
}

const k = (emotions: Partial<Record<EmotionLabel, number>>, valence: number, arousal: number, polarity: 1 | -1 | 0): KoteEmotion => ({ emotions, valence, arousal, polarity });

/** Every KOTE name; a name not here is reported by training rather than guessed. */
export const KOTE_EMOTIONS: Readonly<Record<string, KoteEmotion>> = {
  // pleasant
  '기쁨': k({ happy: 1 }, 0.8, 0.4, 1), // joy
  '행복': k({ happy: 1 }, 0.85, 0.25, 1), // happiness
  '즐거움/신남': k({ happy: 0.85, surprised: 0.15 }, 0.75, 0.6, 1), // fun, excited
  '감동/감탄': k({ happy: 0.7, surprised: 0.3 }, 0.7, 0.45, 1), // moved, admiring
  '고마움': k({ happy: 0.8, neutral: 0.2 }, 0.7, 0.1, 1), // grateful
  '환영/호의': k({ happy: 0.8, neutral: 0.2 }, 0.6, 0.2, 1), // welcoming
  '흐뭇함(귀여움/예쁨)': k({ happy: 0.9, neutral: 0.1 }, 0.7, 0.05, 1), // warm-hearted (cute, pretty)
  '뿌듯함': k({ happy: 1 }, 0.7, 0.3, 1), // proud, fulfilled
  '존경': k({ happy: 0.5, neutral: 0.5 }, 0.5, 0.1, 1), // respect
  '기대감': k({ happy: 0.7, surprised: 0.3 }, 0.5, 0.45, 1), // anticipation
  '아껴주는': k({ happy: 0.7, neutral: 0.3 }, 0.55, -0.05, 1), // caring
  '안심/신뢰': k({ happy: 0.5, neutral: 0.5 }, 0.55, -0.35, 1), // relieved, trusting
  '편안/쾌적': k({ happy: 0.45, neutral: 0.55 }, 0.55, -0.55, 1), // comfortable, relaxed
  '신기함/관심': k({ surprised: 0.6, happy: 0.4 }, 0.35, 0.45, 1), // curious, interested
  // neither
  '없음': k({ neutral: 1 }, 0, 0, 0), // no emotion
  '깨달음': k({ neutral: 0.6, surprised: 0.4 }, 0.1, 0.15, 0), // realisation
  '비장함': k({ neutral: 0.5, angry: 0.25, fearful: 0.25 }, -0.05, 0.4, 0), // grim resolve
  '놀람': k({ surprised: 1 }, 0.05, 0.7, 0), // surprise
  // unpleasant, aroused
  '화남/분노': k({ angry: 1 }, -0.6, 0.7, -1), // anger
  '짜증': k({ angry: 0.7, disgust: 0.3 }, -0.55, 0.5, -1), // annoyance
  '불평/불만': k({ angry: 0.5, disgust: 0.3, sad: 0.2 }, -0.5, 0.3, -1), // complaint
  '지긋지긋': k({ disgust: 0.6, angry: 0.4 }, -0.6, 0.2, -1), // fed up
  '증오/혐오': k({ disgust: 0.6, angry: 0.4 }, -0.8, 0.5, -1), // hatred
  '역겨움/징그러움': k({ disgust: 1 }, -0.7, 0.35, -1), // disgust, creepiness
  '어이없음': k({ contempt: 0.35, angry: 0.35, surprised: 0.3 }, -0.45, 0.3, -1), // dumbfounded
  '한심함': k({ contempt: 0.6, disgust: 0.4 }, -0.5, 0.05, -1), // pathetic
  '우쭐댐/무시함': k({ contempt: 1 }, -0.35, 0.2, -1), // smug, dismissive
  '의심/불신': k({ disgust: 0.4, contempt: 0.3, fearful: 0.3 }, -0.4, 0.15, -1), // doubt, distrust
  '공포/무서움': k({ fearful: 1 }, -0.6, 0.65, -1), // fear
  '불안/걱정': k({ fearful: 0.9, sad: 0.1 }, -0.5, 0.4, -1), // anxiety, worry
  '당황/난처': k({ surprised: 0.5, fearful: 0.5 }, -0.3, 0.5, -1), // flustered
  '경악': k({ surprised: 0.5, fearful: 0.3, disgust: 0.2 }, -0.5, 0.75, -1), // appalled
  '부끄러움': k({ sad: 0.4, fearful: 0.6 }, -0.35, 0.25, -1), // embarrassment
  // unpleasant, low
  '슬픔': k({ sad: 1 }, -0.7, -0.35, -1), // sadness
  '서러움': k({ sad: 1 }, -0.65, -0.1, -1), // sorrow, hurt
  '절망': k({ sad: 1 }, -0.8, -0.4, -1), // despair
  '패배/자기혐오': k({ sad: 0.8, disgust: 0.2 }, -0.7, -0.3, -1), // defeat, self-loathing
  '죄책감': k({ sad: 0.7, fearful: 0.3 }, -0.5, 0, -1), // guilt
  '안타까움/실망': k({ sad: 0.9, angry: 0.1 }, -0.5, -0.2, -1), // pity, disappointment
  '불쌍함/연민': k({ sad: 1 }, -0.4, -0.2, -1), // pity, compassion
  '힘듦/지침': k({ sad: 0.8, neutral: 0.2 }, -0.45, -0.7, -1), // tired, worn out
  '귀찮음': k({ neutral: 0.4, disgust: 0.3, sad: 0.3 }, -0.3, -0.5, -1), // can't be bothered
  '재미없음': k({ neutral: 0.5, sad: 0.3, disgust: 0.2 }, -0.4, -0.6, -1), // boring
  '부담/안_내킴': k({ sad: 0.4, fearful: 0.35, neutral: 0.25 }, -0.4, -0.1, -1), // burdened, reluctant
};

/** A comment's targets: the mean of its names' shares and points (unknown names are skipped and returned). */
export function koteTargets(labels: readonly string[]): { distribution: EmotionDistribution; point: AffectPoint; unknown: string[] } | null {
  const known = labels.map((l) => KOTE_EMOTIONS[l]).filter((e): e is KoteEmotion => !!e);
  const unknown = labels.filter((l) => !KOTE_EMOTIONS[l]);
  if (known.length === 0) return null;
  const scores: Partial<Record<EmotionLabel, number>> = {};
  let valence = 0;
  let arousal = 0;
  for (const e of known) {
    for (const [label, share] of Object.entries(e.emotions) as [EmotionLabel, number][]) scores[label] = (scores[label] ?? 0) + share;
    valence += e.valence;
    arousal += e.arousal;
  }
  return { distribution: normaliseDistribution(scores), point: { valence: valence / known.length, arousal: arousal / known.length }, unknown };
}

/**
 * A comment's plain polarity: +1 when every name that has one is pleasant, −1 when every one is
 * unpleasant, null when they are mixed or none has one (left out of the sign check).
 */
export function kotePolarity(labels: readonly string[]): 1 | -1 | null {
  const signs = new Set(labels.map((l) => KOTE_EMOTIONS[l]?.polarity ?? 0).filter((p) => p !== 0));
  return signs.size === 1 ? (signs.has(1) ? 1 : -1) : null;
}
