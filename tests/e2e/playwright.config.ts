import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * Debian's Chromium when it is installed (CI, the dev box: no browser downloads there), else
 * Playwright's own (`npx playwright install chromium` on a laptop). CHROMIUM_PATH overrides.
 */
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** NORAE_PORT lets two checkouts run their suites side by side without testing each other's build. */
const PORT = Number(process.env.NORAE_PORT ?? 4173);

export default defineConfig({
  testDir: '.',
  outputDir: '../../test-results',
  fullyParallel: false,
  /**
   * One spec at a time (NORAE_E2E_WORKERS overrides, on a machine with more cores). Measured on 2
   * cores: two workers took longer (14.1 min against about 12) and starved the heaviest specs (an
   * hour-long file, a 1,000-file folder, the face nets during a check-in) past their timeouts.
   */
  workers: Number(process.env.NORAE_E2E_WORKERS ?? 1),
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  globalSetup: './global-setup.ts',
  use: {
    baseURL: `http://localhost:${PORT}`,
    /**
     * A failed test keeps its trace — actions, console, network, sources — and a screenshot, but
     * no DOM snapshot per action or screencast: recording those for every test (to keep them for
     * the failures) cost more than the tests. analysis.spec.ts, one sitting on 2 cores at load
     * 23-25: 227 s with full traces, 99 s without (issue 23, item 7).
     */
    trace: { mode: 'retain-on-failure', snapshots: false, screenshots: false },
    screenshot: 'only-on-failure',
    serviceWorkers: 'allow',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  projects: [
    { name: 'app', testIgnore: /deploy\.spec\.ts$/ },
    // Rewrites the served service worker: alone, after everything else.
    { name: 'deploy', testMatch: /deploy\.spec\.ts$/, dependencies: ['app'] },
  ],
  webServer: {
    // The built app, as users get it (npm test builds first).
    command: `npx vite preview --port ${PORT} --strictPort`,
    cwd: '../..',
    port: PORT,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
