import { defineConfig } from '@playwright/test';
import e2e from '../e2e/playwright.config.ts';

/** Benchmarks: the e2e setup (built app, real Chromium), run on demand by `npm run bench`. */
export default defineConfig({
  ...e2e,
  testDir: '.',
  testMatch: /.*\.bench\.ts$/,
  projects: undefined,
  // One at a time: benchmarks measure the machine.
  workers: 1,
  timeout: 600_000,
  // Untraced: the e2e config's tracing (screenshots, snapshots of every action) costs the page
  // and the CPU far more than what is being measured (a 12-song import: 28.7 s traced, 10.3 s not).
  use: { ...e2e.use, trace: 'off', video: 'off', screenshot: 'off' },
  globalSetup: '../e2e/global-setup.ts',
  webServer: e2e.webServer ? { ...(e2e.webServer as object), cwd: '../..' } as typeof e2e.webServer : undefined,
});
