import { library } from '../state/app-state.ts';
import type { CollectedFiles } from '../state/library.svelte.ts';
import { t, tn } from './i18n/i18n.svelte.ts';
import { showToast } from './toasts.svelte.ts';

/** Imports what was dropped or picked and sums the batch up in one toast when it ends. */
export async function importWithFeedback(collected: CollectedFiles): Promise<void> {
  if (collected.unreadable.length > 0) {
    console.warn('Norae: files the browser could not read were skipped', collected.unreadable);
    const names = collected.unreadable.slice(0, 3).map((u) => u.path);
    const more = collected.unreadable.length - names.length;
    showToast({
      tone: 'error',
      timeoutMs: 0,
      text: () => tn('import.unreadable', collected.unreadable.length, { names: names.join(', ') + (more > 0 ? ` ${t('import.andMore', { count: more })}` : '') }),
    });
  }
  const skipped = collected.skipped.length;
  const skippedNote = (): string => (skipped > 0 ? ` ${tn('import.skipped', skipped)}` : '');
  const summary = await library.importFiles(collected.files);
  if (!summary) {
    if (skipped > 0) showToast({ text: () => tn('import.skipped', skipped) });
    return;
  }
  if (summary.cancelled > 0) {
    showToast({ text: () => t('import.cancelled') });
  } else if (summary.failed > 0) {
    showToast({
      tone: 'error',
      timeoutMs: 10_000,
      text: () => t('import.finishedWithErrors', { added: summary.added, failed: summary.failed }) + skippedNote(),
    });
  } else {
    showToast({ text: () => tn('import.finished', summary.added) + skippedNote() });
  }
}
