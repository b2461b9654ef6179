import { registerServiceWorker } from '../adapters/pwa/service-worker.ts';
import { t } from './i18n/i18n.svelte.ts';
import { showToast } from './toasts.svelte.ts';

/** Registers the service worker and turns its news into toasts: "offline ready", "update ready". */
export function startServiceWorker(): void {
  if (import.meta.env.DEV) return;
  const update = registerServiceWorker({
    onOfflineReady: () => showToast({ text: () => t('pwa.offlineReady') }),
    onUpdateReady: () =>
      showToast({
        text: () => t('pwa.updateReady'),
        timeoutMs: 0,
        action: { label: () => t('pwa.reload'), run: () => void update() },
      }),
    onError: (error) => console.warn('Service worker registration failed', error),
  });
}
