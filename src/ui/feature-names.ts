import { en, type MessageKey } from './i18n/en.ts';
import { t } from './i18n/i18n.svelte.ts';

/**
 * A feature's plain-language name for "why here": a translated name when the catalogue has one
 * (`feature.<name>`), else the code name made readable ("spectralCentroidHz" → "spectral centroid").
 */
export function featureName(name: string): string {
  const key = `feature.${name}`;
  if (key in en) return t(key as MessageKey);
  return name
    .replace(/(Hz|Db|Bpm|Seconds|PerSecond|Mean|Std)$/g, '')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .toLowerCase();
}
