import type { Page } from '@playwright/test';

/**
 * Main-thread tasks over 50 ms (the Long Tasks API), collected from the page's first script on:
 * the figure for "the page stayed responsive" while heavy work ran elsewhere.
 */
export async function trackLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasksMs: number[] };
    w.__longTasksMs = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasksMs.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Forgets the long tasks seen so far (the start of a measured stretch). */
export const resetLongTasks = (page: Page): Promise<number[]> =>
  page.evaluate(() => ((window as unknown as { __longTasksMs: number[] }).__longTasksMs = []));

/** The durations (ms) of the long tasks since the last reset. */
export const longTasks = (page: Page): Promise<number[]> => page.evaluate(() => (window as unknown as { __longTasksMs: number[] }).__longTasksMs);

/** The longest of them, 0 when no task went over 50 ms. */
export const longestTaskMs = async (page: Page): Promise<number> => Math.round(Math.max(0, ...(await longTasks(page))));
