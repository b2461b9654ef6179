import { expect, type Page } from '@playwright/test';
import { fixture } from './fixtures.ts';
import { openApp, pickFiles, readyRows, waitForImportIdle } from './helpers.ts';
import { test } from './test.ts';
import { LIBRARY_DB_NAME as DB_NAME, LIBRARY_DB_VERSION as DB_VERSION } from '../../src/adapters/storage/library-db.ts';

/**
 * Opens the library database in `page` at schema version 1 (what the first Norae created: songs
 * and audio) and holds it, never answering version changes — an old tab left open.
 */
async function holdOldDatabase(page: Page): Promise<void> {
  await page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => {
          request.result.createObjectStore('songs', { keyPath: 'id' });
          request.result.createObjectStore('audio', { keyPath: 'id' });
        };
        request.onsuccess = () => {
          (window as unknown as { held: IDBDatabase }).held = request.result;
          resolve();
        };
        request.onerror = () => reject(request.error);
      }),
    DB_NAME,
  );
}

/** Asks for a newer database version from `page`; resolves (in the page) once the open succeeds. */
async function requestUpgrade(page: Page): Promise<void> {
  await page.evaluate(
    ({ name, version }) => {
      const state = { opened: false };
      (window as unknown as { upgrade: typeof state }).upgrade = state;
      const request = indexedDB.open(name, version);
      request.onsuccess = () => {
        state.opened = true;
        request.result.close();
      };
    },
    { name: DB_NAME, version: DB_VERSION + 1 },
  );
}
const upgraded = (page: Page) => page.evaluate(() => (window as unknown as { upgrade: { opened: boolean } }).upgrade.opened);

test('a tab with an older Norae blocks opening: this tab says what to do, and opens once that tab lets go', async ({ context, baseURL }) => {
  const old = await context.newPage();
  await old.goto(`${baseURL}/icons/favicon.svg`); // same origin, without running the app
  await holdOldDatabase(old);
  const page = await context.newPage();
  await page.goto(baseURL ?? '/');
  const notice = page.getByTestId('db-connection');
  await expect(notice).toHaveAttribute('data-state', 'blocked');
  await expect(notice).toContainText('Close or reload that tab');
  await old.evaluate(() => (window as unknown as { held: IDBDatabase }).held.close());
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId('song-input')).toBeAttached();
});

test('a newer Norae in another tab: an import in progress finishes first, then this tab hands over and asks to be reloaded', async ({ context, page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  const other = await context.newPage();
  await other.goto(new URL('/icons/favicon.svg', page.url()).href);
  // Start a batch, and while it runs, a newer version asks for the database.
  await pickFiles(page, [fixture('long-road.mp3'), fixture('tagged.mp3'), fixture('flac-tone.flac'), fixture('click-120.wav')]);
  await requestUpgrade(other);
  const notice = page.getByTestId('db-connection');
  await expect(notice).toHaveAttribute('data-state', 'upgrade-waiting');
  await expect(notice).toContainText('once this import has finished');
  expect(await upgraded(other)).toBe(false);
  await waitForImportIdle(page);
  // Every song of the batch was stored before the hand-over.
  await expect(readyRows(page)).toHaveCount(4, { timeout: 60_000 });
  await expect(notice).toHaveAttribute('data-state', 'outdated');
  await expect.poll(() => upgraded(other)).toBe(true);
  // The newer version got the database with every song in it.
  const stored = await other.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => {
          const count = request.result.transaction('songs').objectStore('songs').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
        request.onerror = () => reject(request.error);
      }),
    DB_NAME,
  );
  expect(stored).toBe(4);
});
