import { normaliseFeature } from '../core/music/emotion-model.ts';
import { SHIPPED_MUSIC_EMOTION_MODEL } from '../core/music/shipped-model.ts';
import { en, type MessageKey } from './i18n/en.ts';
import { t } from './i18n/i18n.svelte.ts';

const referenceOf = new Map(SHIPPED_MUSIC_EMOTION_MODEL.features.map((f) => [f.name as string, f]));

/**
 * A feature in plain words, as the song has it: "fast tempo" or "slow tempo", "a major-key feel"
 * or "a minor-key feel" — high or low relative to the model's fixed reference range, so the
 * phrase matches the way the feature pushed the song. Unknown features fall back to a readable
 * form of their code name.
 */
export function featurePhrase(name: string, features: Readonly<Record<string, number>> | null): string {
  const reference = referenceOf.get(name);
  const value = features?.[name];
  const high = reference && value !== undefined ? normaliseFeature(value, reference) >= 0 : true;
  const key = `feature.${name}.${high ? 'high' : 'low'}`;
  if (key in en) return t(key as MessageKey);
  return name
    .replace(/(Hz|Db|Bpm|Seconds|PerSecond|Mean|Std)$/g, '')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .toLowerCase();
}

/**
 * Several features as one list of phrases, each said once: related features (the spread of
 * MFCCs 2–4, say) share a phrase, and "steady timbre, steady timbre" reads like a bug.
 */
export function featurePhrases(names: readonly string[], features: Readonly<Record<string, number>> | null): string {
  return [...new Set(names.map((n) => featurePhrase(n, features)))].join(', ');
}
