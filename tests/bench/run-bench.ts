import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `npm run bench`: runs the benchmarks (tests/bench, real Chromium, untraced) several times,
 * reports each budgeted figure's median and spread, and exits non-zero when a median misses its
 * budget in tests/bench/budgets.json, a figure is missing (no songs, a broken benchmark) or a run
 * fails. Usage: `npm run bench [-- --runs N] [-- playwright args]`; results in
 * bench-results/summary.json, each run's raw figures in bench-results/run-N/ (outside
 * test-results/, which Playwright empties at the start of every run).
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
  const perSong = (readJson('bench-import-browser.json') as { perSong?: { analysisSeconds: number; durationSeconds: number }[] } | null)?.perSong;
  const feel = readJson('bench-feel.json') as {
    voice?: { medianMsWarm?: number; longestMainThreadTaskMs?: number };
    checkIn?: { longestMainThreadTaskMs?: number[] };
    face?: { medianFps?: number; groupPhotoMsIncludingUi?: number[] };
    text?: { medianReadingMs?: number };
    recommend10k?: { pathOf20MedianMs: number; pathOf60MinutesMedianMs: number; matchOf20MedianMs: number };
  } | null;
  const r = feel?.recommend10k;
  return {
    longestMainThreadTaskMsDuring100SongImport: hundred?.longestMainThreadTaskMs,
    // Each song's analysis time scaled to four minutes of audio; the median song.
    analysisSecondsPer4MinuteSong: perSong?.length ? median(perSong.map((s) => (s.analysisSeconds * 240) / s.durationSeconds)) : undefined,
    voiceLatencyMsWarm: feel?.voice?.medianMsWarm,
    longestMainThreadTaskMsDuringVoiceReading: feel?.voice?.longestMainThreadTaskMs,
    longestMainThreadTaskMsDuringCheckIn: feel?.checkIn?.longestMainThreadTaskMs?.length ? Math.max(...feel.checkIn.longestMainThreadTaskMs) : undefined,
    cameraFps: feel?.face?.medianFps,
    groupPhotoMsWith5Faces: feel?.face?.groupPhotoMsIncludingUi?.length ? median(feel.face.groupPhotoMsIncludingUi) : undefined,
    textReadingMs: feel?.text?.medianReadingMs,
    recommendOn10kSongsMs: r ? Math.max(r.pathOf20MedianMs, r.pathOf60MinutesMedianMs, r.matchOf20MedianMs) : undefined,
  };
}

function main(): number {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1])) : 3;
  const playwrightArgs = runsAt >= 0 ? args.filter((_, i) => i !== runsAt && i !== runsAt + 1) : args;
  const budgets = JSON.parse(readFileSync(join(import.meta.dirname, 'budgets.json'), 'utf8')) as Record<string, Budget | string>;
  const perRun: Figures[] = [];
  const failedRuns: number[] = [];
  for (let run = 1; run <= runs; run++) {
    console.log(`\nbench: run ${run} of ${runs}`);
    for (const f of ['bench-import-100.json', 'bench-import-browser.json', 'bench-import-wasm.json', 'bench-feel.json', 'bench-plane.json']) rmSync(join(RESULTS, f), { force: true });
    const result = spawnSync('npx', ['playwright', 'test', '-c', 'tests/bench/playwright.config.ts', ...playwrightArgs], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) failedRuns.push(run);
    perRun.push(figuresOfRun());
    const keep = join(KEPT, `run-${run}`);
    rmSync(keep, { recursive: true, force: true });
    mkdirSync(keep, { recursive: true });
    for (const f of ['bench-import-100.json', 'bench-import-browser.json', 'bench-import-wasm.json', 'bench-feel.json', 'bench-plane.json']) {
      if (existsSync(join(RESULTS, f))) cpSync(join(RESULTS, f), join(keep, f));
    }
  }

  const summary: Record<string, unknown> = { runs, failedRuns, date: new Date().toISOString() };
  const problems: string[] = failedRuns.map((run) => `run ${run} failed (see above)`);
  console.log('\nfigure                                          budget    median   (min – max over runs)');
  for (const [name, budget] of Object.entries(budgets)) {
    if (typeof budget === 'string') continue;
    const values = perRun.map((f) => f[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const bound = budget.max !== undefined ? `≤ ${budget.max}` : `≥ ${budget.min}`;
    if (values.length < runs) problems.push(`${name}: measured in ${values.length} of ${runs} runs`);
    if (values.length === 0) {
      console.log(`${name.padEnd(48)}${bound.padEnd(10)}missing`);
      summary[name] = { budget, values };
      continue;
    }
    const m = median(values);
    const ok = budget.max !== undefined ? m <= budget.max : m >= (budget.min ?? -Infinity);
    if (!ok) problems.push(`${name}: median ${m} ${budget.unit}, budget ${bound}`);
    const r = (x: number): string => String(+x.toFixed(2));
    console.log(`${name.padEnd(48)}${`${bound} ${budget.unit}`.padEnd(10)}${r(m).padEnd(9)}(${r(Math.min(...values))} – ${r(Math.max(...values))})${ok ? '' : '  OVER BUDGET'}`);
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

process.exit(main());
