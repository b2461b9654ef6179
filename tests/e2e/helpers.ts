import { chromium, expect, type BrowserContext, type Locator, type Page, type TestInfo } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Opens the app and waits until the library has loaded from IndexedDB. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('#main')).toBeVisible();
  await expect(page.getByText(/Opening your library|보관함을 여는 중/)).toHaveCount(0);
}

/** Picks files through the library's file input, as a user would with the file dialog. */
export async function pickFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('song-input').setInputFiles(paths);
}

/** Drops files on the page with a synthetic drag-and-drop (DataTransfer built in the page). */
export async function dropFiles(page: Page, paths: string[]): Promise<void> {
  const files = paths.map((p) => ({ name: basename(p), base64: readFileSync(p).toString('base64') }));
  await page.evaluate(async (list) => {
    const dt = new DataTransfer();
    for (const { name, base64 } of list) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], name));
    }
    const fire = (type: string): void => {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    };
    fire('dragenter');
    fire('dragover');
    fire('drop');
  }, files);
}

export const rows = (page: Page) => page.getByTestId('song-row');
export const readyRows = (page: Page) => page.locator('[data-testid="song-row"][data-status="ready"]');
export const errorRow = (page: Page, file: string) =>
  page.locator(`[data-testid="song-row"][data-status="error"][data-file="${file}"]`);

/** Waits until no file is queued or importing. */
export async function waitForImportIdle(page: Page, timeoutMs = 120_000): Promise<void> {
  await expect(page.getByTestId('library-progress')).toHaveCount(0, { timeout: timeoutMs });
  await expect(page.locator('[data-testid="song-row"][data-status="queued"], [data-testid="song-row"][data-status="importing"]')).toHaveCount(0);
}

/** How many songs the list says the library holds (the list is virtualised: not every row exists). */
export async function songCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('song-list').getAttribute('data-song-count'));
}

/** Reads straight from IndexedDB: each store's count, or all its records. */
export async function dbRead(page: Page, stores: string[], op: 'count' | 'getAll'): Promise<Record<string, unknown>> {
  return page.evaluate(
    ({ stores, op }) =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open('norae');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(stores, 'readonly');
          const out: Record<string, unknown> = {};
          for (const name of stores) {
            const r = op === 'count' ? tx.objectStore(name).count() : tx.objectStore(name).getAll();
            r.onsuccess = () => (out[name] = r.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { stores, op },
  );
}

/** Counts straight from IndexedDB: songs, audio blobs, artwork. */
export async function dbCounts(page: Page): Promise<{ songs: number; audio: number; artwork: number }> {
  return (await dbRead(page, ['songs', 'audio', 'artwork'], 'count')) as { songs: number; audio: number; artwork: number };
}

/** Records every request the browser makes, to prove nothing goes to another origin. */
export function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  return urls;
}

export function foreignRequests(urls: string[], origin: string): string[] {
  return urls.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
}

/** Resolves once a service worker controls the page (precache finished and activated). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
        // Without clientsClaim the first visit is not controlled: a reload is.
        setTimeout(resolve, 3000);
      });
    }
    return registration.active?.state;
  });
}

/**
 * A page in a browser of its own, launched with extra Chromium flags (fake microphone or camera
 * files, denied permissions): such flags are per browser, not per page.
 */
export async function pageWithFlags(testInfo: TestInfo, flags: string[]): Promise<{ page: Page; close: () => Promise<void> }> {
  const launch = testInfo.project.use.launchOptions ?? {};
  const browser = await chromium.launch({ ...launch, args: [...(launch.args ?? []), ...flags] });
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: testInfo.project.use.locale });
  const page = await context.newPage();
  const urls = recordRequests(context);
  return {
    page,
    close: async () => {
      await browser.close();
      const foreign = foreignRequests(urls, new URL(testInfo.project.use.baseURL ?? 'http://localhost').origin);
      if (foreign.length > 0) throw new Error(`requests to another origin: ${foreign.join(', ')}`);
    },
  };
}

/**
 * On the "How I feel" screen, taps the plane to say "I am here" at a low-valence spot with no
 * library song near it (a tap on a song would play it instead). Reads the songs' positions from
 * the library rows, so call it after they are analysed, from the library screen.
 */
export async function tapPlaneAwayFromSongs(page: Page): Promise<void> {
  const songs = await page.locator('[data-testid="song-row"][data-status="ready"]').evaluateAll((els) =>
    els.map((e) => ({ v: Number(e.getAttribute('data-valence')), a: Number(e.getAttribute('data-arousal')) })),
  );
  await page.getByTestId('nav-feel').click();
  const plane = page.locator('.plane [data-testid="emotion-plane"] canvas').first();
  await plane.scrollIntoViewIfNeeded();
  const box = await plane.boundingBox();
  if (!box) throw new Error('no plane');
  const k = Math.min(box.width, box.height) / 2.16;
  const spots = [[-0.9, -0.6], [-0.6, -0.9], [-0.9, -0.2], [-0.3, -0.9], [-0.9, 0.2]];
  const [v, a] = spots.find(([v, a]) => songs.every((s) => Math.hypot(s.v - v, s.a - a) > 0.15)) ?? spots[0];
  await page.mouse.click(box.x + box.width / 2 + v * k, box.y + box.height / 2 - a * k);
}

/** Clicks a plane (its canvas) at a valence–arousal point; the full view spans ±1.08 around the centre. */
export async function tapPlaneAt(page: Page, canvas: Locator, point: { valence: number; arousal: number }): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no plane');
  const k = Math.min(box.width, box.height) / 2.16;
  await page.mouse.click(box.x + box.width / 2 + point.valence * k, box.y + box.height / 2 - point.arousal * k);
}
