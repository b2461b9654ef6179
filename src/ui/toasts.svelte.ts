/** A short notice at the bottom of the screen; `text` re-renders when the language changes. */
export interface Toast {
  id: number;
  text: () => string;
  tone: 'info' | 'error';
  action?: { label: () => string; run: () => void };
  /** Stays until dismissed when 0. */
  timeoutMs: number;
}

let nextId = 1;

export const toasts = $state<Toast[]>([]);

export function showToast(toast: Omit<Toast, 'id' | 'timeoutMs' | 'tone'> & Partial<Pick<Toast, 'timeoutMs' | 'tone'>>): number {
  const id = nextId++;
  toasts.push({ tone: 'info', timeoutMs: 6000, ...toast, id });
  const entry = toasts[toasts.length - 1];
  if (entry.timeoutMs > 0) setTimeout(() => dismissToast(id), entry.timeoutMs);
  return id;
}

export function dismissToast(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}
