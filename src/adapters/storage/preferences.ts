/**
 * Small settings kept in localStorage (this origin, this device). Where the browser refuses
 * storage (disabled, a sandboxed frame) reads fall back to the default and writes report false;
 * both are logged, the setting then lasts for this visit only.
 */
export function readPreference<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const value = globalThis.localStorage?.getItem(key);
    return value !== null && value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
  } catch (error) {
    console.warn(`Norae: the setting ${key} could not be read; using the default`, error);
    return fallback;
  }
}

/** Stores a setting; false when the browser refused (the caller keeps it for this visit). */
export function writePreference(key: string, value: string): boolean {
  try {
    if (!globalThis.localStorage) return false;
    globalThis.localStorage.setItem(key, value);
    return true;
  } catch (error) {
    console.warn(`Norae: the setting ${key} could not be saved; it lasts for this visit only`, error);
    return false;
  }
}
