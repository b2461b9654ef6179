import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `npm run bench`: runs the benchmarks (tests/bench, real Chromium, untraced) several times,
 * then Lighthouse once per run against the built app, reports each budgeted figure's median and
 * spread, and exits non-zero when a median misses its budget in tests/bench/budgets.json, a
 * figure is missing (no songs, a broken benchmark) or a run fails. Usage:
 * `npm run bench [-- --runs N] [-- --lighthouse-only] [-- playwright args]`; results in
 * bench-results/summary.json, each run's raw figures in bench-results/run-N/ (outside
 * test-results/, which Playwright empties at the start of every run), and each Lighthouse
 * report in bench-results/lighthouse-N.json.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const RESULTS = join(ROOT, 'test-results');
const KEPT = join(ROOT, 'bench-results');

interface Budget {
  max?: number;
  min?: number;
  unit: string;
}
type Figures = Record<string, number | undefined>;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function readJson(file: string): Record<string, unknown> | null {
  const path = join(RESULTS, file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : null;
}

/** The budgeted figures of one run, from the files the benchmarks wrote. */
function figuresOfRun(): Figures {
  const hundred = readJson('bench-import-100.json') as { longestMainThreadTaskMs?: number } | null;
  const linked = readJson('bench-linked.json') as { linkedImportRealTime?: number; longestMainThreadTaskMs?: number } | null;
  const importBrowser = readJson('bench-import-browser.json') as {
    perSong?: { analysisSeconds: number; durationSeconds: number }[];
    importRealTimeOnTwoIdleCores?: number | null;
  } | null;
  const perSong = importBrowser?.perSong;
  const feel = readJson('bench-feel.json') as {
    voice?: { medianMsWarm?: number; longestMainThreadTaskMs?: number };
    checkIn?: { longestMainThreadTaskMs?: number[] };
    face?: { medianFps?: number; groupPhotoMsIncludingUi?: number[] };
    text?: { medianReadingMs?: number };
    recommend10k?: { pathOf20MedianMs: number; pathOf60MinutesMedianMs: number; matchOf20MedianMs: number };
  } | null;
  const r = feel?.recommend10k;
  const library10k = readJson('bench-library-10k.json') as {
    longestTaskMsAtLoad?: number;
    longestTaskMsAtLaterLoad?: number;
    listScroll?: { longestTaskMs: number };
    search?: { longestTaskMs: number };
    firstCheckIn?: { longestTaskMs: number; wordsToPlaylistMs: number };
  } | null;
  return {
    longestMainThreadTaskMsDuring100SongImport: hundred?.longestMainThreadTaskMs,
    linkedImportRealTime: linked?.linkedImportRealTime,
    longestMainThreadTaskMsDuringLinkedImport: linked?.longestMainThreadTaskMs,
    // Each song's analysis time scaled to four minutes of audio; the median song.
    analysisSecondsPer4MinuteSong: perSong?.length ? median(perSong.map((s) => (s.analysisSeconds * 240) / s.durationSeconds)) : undefined,
    copyImportRealTimeOnTwoIdleCores: importBrowser?.importRealTimeOnTwoIdleCores ?? undefined,
    voiceLatencyMsWarm: feel?.voice?.medianMsWarm,
    longestMainThreadTaskMsDuringVoiceReading: feel?.voice?.longestMainThreadTaskMs,
    longestMainThreadTaskMsDuringCheckIn: feel?.checkIn?.longestMainThreadTaskMs?.length ? Math.max(...feel.checkIn.longestMainThreadTaskMs) : undefined,
    cameraFps: feel?.face?.medianFps,
    groupPhotoMsWith5Faces: feel?.face?.groupPhotoMsIncludingUi?.length ? median(feel.face.groupPhotoMsIncludingUi) : undefined,
    textReadingMs: feel?.text?.medianReadingMs,
    recommendOn10kSongsMs: r ? Math.max(r.pathOf20MedianMs, r.pathOf60MinutesMedianMs, r.matchOf20MedianMs) : undefined,
    longestMainThreadTaskMsLoading10kSongs: library10k?.longestTaskMsAtLoad,
    longestMainThreadTaskMsLaterLoad10kSongs: library10k?.longestTaskMsAtLaterLoad,
    longestMainThreadTaskMsScrolling10kSongs: library10k?.listScroll?.longestTaskMs,
    longestMainThreadTaskMsSearching10kSongs: library10k?.search?.longestTaskMs,
    longestMainThreadTaskMsFirstCheckIn10kSongs: library10k?.firstCheckIn?.longestTaskMs,
    firstCheckInToPlaylistMs10kSongs: library10k?.firstCheckIn?.wordsToPlaylistMs,
  };
}

/** The Lighthouse figures that budgets.json names. */
const LIGHTHOUSE_FIGURES = ['lighthousePerformance', 'lighthouseLcpMs', 'lighthouseCls', 'lighthouseTbtMs'];
/** A port of its own: the Playwright benchmarks' preview server (4173) may still be closing. */
const LIGHTHOUSE_PORT = 4174;

/**
 * Starts `vite preview` of dist/ (the build `npm run bench` just made, served with the app's own
 * headers as `npm start` serves it) and resolves once it answers.
 */
async function startPreview(): Promise<ChildProcess> {
  const server = spawn('npx', ['vite', 'preview', '--port', String(LIGHTHOUSE_PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://localhost:${LIGHTHOUSE_PORT}/`)).ok) return server;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stopPreview(server);
  throw new Error(`vite preview did not answer on port ${LIGHTHOUSE_PORT}`);
}

function stopPreview(server: ChildProcess): void {
  // npx starts vite in a process group of its own (detached): end the group, vite included.
  if (server.pid) process.kill(-server.pid, 'SIGTERM');
}

/**
 * One Lighthouse run (the lighthouse CLI, mobile preset, simulated throttling: its defaults),
 * performance only, in Debian's Chromium when installed (CHROMIUM_PATH overrides, as for the
 * e2e tests). The report is kept; the budgeted figures are returned.
 */
function lighthouseRun(run: number): Figures {
  const report = join(KEPT, `lighthouse-${run}.json`);
  rmSync(report, { force: true });
  const chrome = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const result = spawnSync(
    'npx',
    [
      'lighthouse',
      `http://localhost:${LIGHTHOUSE_PORT}/`,
      '--only-categories=performance',
      '--output=json',
      `--output-path=${report}`,
      '--chrome-flags=--headless=new --no-sandbox',
      '--quiet',
    ],
    { cwd: ROOT, stdio: 'inherit', env: chrome ? { ...process.env, CHROME_PATH: chrome } : process.env },
  );
  if (result.status !== 0 || !existsSync(report)) return {};
  const lhr = JSON.parse(readFileSync(report, 'utf8')) as {
    categories: { performance: { score: number | null } };
    audits: Record<string, { numericValue?: number }>;
    environment?: { benchmarkIndex?: number };
  };
  const figures: Figures = {
    lighthousePerformance: lhr.categories.performance.score ?? undefined,
    lighthouseLcpMs: lhr.audits['largest-contentful-paint']?.numericValue,
    lighthouseCls: lhr.audits['cumulative-layout-shift']?.numericValue,
    lighthouseTbtMs: lhr.audits['total-blocking-time']?.numericValue,
  };
  const r = (x: number | undefined): string => (x === undefined ? '–' : String(+x.toFixed(3)));
  console.log(
    `lighthouse run ${run}: performance ${r(figures.lighthousePerformance)}, LCP ${r(figures.lighthouseLcpMs)} ms, CLS ${r(figures.lighthouseCls)}, ` +
      `TBT ${r(figures.lighthouseTbtMs)} ms, FCP ${r(lhr.audits['first-contentful-paint']?.numericValue)} ms (benchmarkIndex ${r(lhr.environment?.benchmarkIndex)})`,
  );
  return figures;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1])) : 3;
  const lighthouseOnly = args.includes('--lighthouse-only');
  const playwrightArgs = args.filter((arg, i) => (runsAt < 0 || (i !== runsAt && i !== runsAt + 1)) && arg !== '--lighthouse-only');
  const allBudgets = JSON.parse(readFileSync(join(import.meta.dirname, 'budgets.json'), 'utf8')) as Record<string, Budget | string>;
  const budgets = lighthouseOnly ? Object.fromEntries(Object.entries(allBudgets).filter(([name]) => LIGHTHOUSE_FIGURES.includes(name))) : allBudgets;
  const perRun: Figures[] = [];
  const failedRuns: number[] = [];
  for (let run = 1; run <= runs && !lighthouseOnly; run++) {
    console.log(`\nbench: run ${run} of ${runs}`);
    for (const f of ['bench-import-100.json', 'bench-import-browser.json', 'bench-import-wasm.json', 'bench-feel.json', 'bench-plane.json', 'bench-library-10k.json', 'bench-linked.json']) rmSync(join(RESULTS, f), { force: true });
    const result = spawnSync('npx', ['playwright', 'test', '-c', 'tests/bench/playwright.config.ts', ...playwrightArgs], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) failedRuns.push(run);
    perRun.push(figuresOfRun());
    const keep = join(KEPT, `run-${run}`);
    rmSync(keep, { recursive: true, force: true });
    mkdirSync(keep, { recursive: true });
    for (const f of ['bench-import-100.json', 'bench-import-browser.json', 'bench-import-wasm.json', 'bench-feel.json', 'bench-plane.json', 'bench-library-10k.json', 'bench-linked.json']) {
      if (existsSync(join(RESULTS, f))) cpSync(join(RESULTS, f), join(keep, f));
    }
  }

  // First load of the built app as Lighthouse sees it (issue 23, item 9): one run per bench run.
  mkdirSync(KEPT, { recursive: true });
  const server = await startPreview();
  try {
    for (let run = 1; run <= runs; run++) {
      console.log(`\nbench: Lighthouse run ${run} of ${runs}`);
      if (!perRun[run - 1]) perRun[run - 1] = {};
      Object.assign(perRun[run - 1], lighthouseRun(run));
    }
  } finally {
    stopPreview(server);
  }

  const summary: Record<string, unknown> = { runs, failedRuns, date: new Date().toISOString() };
  const problems: string[] = failedRuns.map((run) => `run ${run} failed (see above)`);
  console.log('\nfigure                                          budget      median   (min – max over runs)');
  for (const [name, budget] of Object.entries(budgets)) {
    if (typeof budget === 'string') continue;
    const values = perRun.map((f) => f[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const bound = budget.max !== undefined ? `≤ ${budget.max}` : `≥ ${budget.min}`;
    if (values.length < runs) problems.push(`${name}: measured in ${values.length} of ${runs} runs`);
    if (values.length === 0) {
      console.log(`${name.padEnd(48)}${bound.padEnd(12)}missing`);
      summary[name] = { budget, values };
      continue;
    }
    const m = median(values);
    const ok = budget.max !== undefined ? m <= budget.max : m >= (budget.min ?? -Infinity);
    if (!ok) problems.push(`${name}: median ${m} ${budget.unit}, budget ${bound}`);
    const r = (x: number): string => String(+x.toFixed(2));
    console.log(`${name.padEnd(48)}${`${bound} ${budget.unit}`.padEnd(12)}${r(m).padEnd(9)}(${r(Math.min(...values))} – ${r(Math.max(...values))})${ok ? '' : '  OVER BUDGET'}`);
    summary[name] = { budget, values, median: m, min: Math.min(...values), max: Math.max(...values), ok };
  }
  summary.problems = problems;
  mkdirSync(KEPT, { recursive: true });
  writeFileSync(join(KEPT, 'summary.json'), JSON.stringify(summary, null, 2));
  if (problems.length > 0) {
    console.error(`\nbench: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    return 1;
  }
  console.log('\nbench: every budget met');
  return 0;
}

process.exit(await main());
