/** Space used by this origin and the space it may still use, in bytes. */
export interface StorageEstimateBytes {
  usageBytes: number;
  quotaBytes: number;
  freeBytes: number;
  /** Whether the browser promised not to evict our data under storage pressure. */
  persisted: boolean;
}

/** Reads the current estimate; null where the Storage API is missing (old browsers, some webviews). */
export async function readStorageEstimate(): Promise<StorageEstimateBytes | null> {
  if (!navigator.storage?.estimate) return null;
  const [estimate, persisted] = await Promise.all([
    navigator.storage.estimate(),
    navigator.storage.persisted?.() ?? Promise.resolve(false),
  ]);
  const usageBytes = estimate.usage ?? 0;
  const quotaBytes = estimate.quota ?? 0;
  return { usageBytes, quotaBytes, freeBytes: Math.max(0, quotaBytes - usageBytes), persisted };
}

/**
 * Asks the browser to keep our storage even when the disk runs low. Chromium grants it
 * silently to installed or often-used apps and refuses otherwise; either way nothing breaks.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    if (await navigator.storage?.persisted?.()) return true;
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}
