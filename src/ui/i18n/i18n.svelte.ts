import { en, type MessageKey } from './en.ts';
import { ko } from './ko.ts';

export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, ko };
/** Each language's own name, shown in the switcher whatever the current language. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ko: '한국어' };
const STORAGE_KEY = 'norae.locale';

/** The browser's preferred supported language, or English. */
export function detectLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if ((LOCALES as readonly string[]).includes(base)) return base as Locale;
  }
  return 'en';
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // Storage may be blocked; fall through to the browser's languages.
  }
  return detectLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export const i18n = $state<{ locale: Locale }>({ locale: initialLocale() });

/** Switches the UI language and remembers the choice. */
export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; still switched for this visit.
  }
}

type Params = Record<string, string | number>;

function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

/** The message for `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params?: Params): string {
  return fill(CATALOGUES[i18n.locale][key] ?? en[key], params);
}

type PluralBase = { [K in MessageKey]: K extends `${infer B}_other` ? B : never }[MessageKey];
const pluralRules = new Map<Locale, Intl.PluralRules>();

/** A counted message: picks `key_one` or `key_other` by the language's plural rules. */
export function tn(key: PluralBase, count: number, params?: Params): string {
  let rules = pluralRules.get(i18n.locale);
  if (!rules) {
    rules = new Intl.PluralRules(i18n.locale);
    pluralRules.set(i18n.locale, rules);
  }
  const form = rules.select(count) === 'one' ? 'one' : 'other';
  const full = `${key}_${form}` as MessageKey;
  return t(full in en ? full : (`${key}_other` as MessageKey), { count, ...params });
}

/** A collator for the current language, so 가나다 and ABC sort as people expect. */
export function collator(): Intl.Collator {
  return new Intl.Collator(i18n.locale, { numeric: true, sensitivity: 'base' });
}

/** The date formats the app shows: a moment (history, insights) and a day (charts). */
const DATE_STYLES = {
  moment: { dateStyle: 'medium', timeStyle: 'short' },
  day: { month: 'short', day: 'numeric' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The date format `style` in the current language, made once per language. A page's first
 * Intl.DateTimeFormat loads the calendar data: 187 ms of main-thread time when the first
 * check-in showed the history (10,000-song bench, 2 cores under load) — so the Feel screen makes
 * them ahead, in idle time ({@link prepareDateFormats}).
 */
export function dateFormat(style: keyof typeof DATE_STYLES): Intl.DateTimeFormat {
  const key = `${i18n.locale} ${style}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(i18n.locale, DATE_STYLES[style])));
  return format;
}

/** Makes the date formats when the page is idle, so a first check-in does not. */
export function prepareDateFormats(): void {
  const make = (): void => {
    for (const style of Object.keys(DATE_STYLES) as (keyof typeof DATE_STYLES)[]) dateFormat(style);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(make, { timeout: 5000 });
  else setTimeout(make, 500);
}
