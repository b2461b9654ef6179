import { t } from './i18n/i18n.svelte.ts';
import { showToast } from './toasts.svelte.ts';

/**
 * "ResizeObserver loop completed with undelivered notifications" (and Chromium's older "… loop
 * limit exceeded") only says a resize was delivered a frame later; nothing failed, so the
 * listener is not alarmed by it.
 */
export function isBenignBrowserNotice(cause: unknown): boolean {
  const message = cause instanceof Error ? cause.message : String(cause);
  return /^ResizeObserver loop (completed with undelivered notifications|limit exceeded)/.test(message);
}

/** One notice at a time: a burst of the same failure should not bury the screen in toasts. */
let showing: number | null = null;

/**
 * The last line of "nothing fails silently": a promise rejection no code handled, or an error
 * thrown from an event handler, is logged with its cause and told to the user (once per burst),
 * who can carry on — stored songs are never touched by these.
 */
export function reportUnexpectedErrors(): void {
  const report = (cause: unknown): void => {
    if (isBenignBrowserNotice(cause)) {
      console.warn('Norae: a benign browser notice, not an error of the app', cause);
      return;
    }
    console.error('Norae: unexpected error', cause);
    if (showing !== null) return;
    const detail = cause instanceof Error ? cause.message : String(cause);
    showing = showToast({
      tone: 'error',
      timeoutMs: 10_000,
      text: () => t('app.unexpected', { detail }),
    });
    setTimeout(() => (showing = null), 10_000);
  };
  window.addEventListener('unhandledrejection', (event) => report(event.reason));
  window.addEventListener('error', (event) => report(event.error ?? event.message));
}
