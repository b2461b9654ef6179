/**
 * Runs `run` in a task of its own after the page's next paint, or after `fallbackMs` when no
 * frame comes: a hidden page gets no animation frames, and work staged behind a paint must still
 * happen there. Returns a function that cancels it.
 */
export function afterNextPaint(run: () => void, fallbackMs = 100): () => void {
  let settled = false;
  let afterFrame: ReturnType<typeof setTimeout> | undefined;
  const cancel = (): void => {
    settled = true;
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    clearTimeout(afterFrame);
  };
  const go = (): void => {
    if (settled) return;
    cancel();
    run();
  };
  // A timer from inside the frame: `run` then comes after that frame's paint, not before it.
  const frame = requestAnimationFrame(() => {
    afterFrame = setTimeout(go);
  });
  const fallback = setTimeout(go, fallbackMs);
  return cancel;
}
