/**
 * `npx tsx src/training/music/compare-excerpt-plans.ts DIR_OF_SONGS`
 *
 * How well a few excerpts stand for a whole song, for choosing how much of a song the import
 * decodes (its largest cost). Each MP3 of the folder is decoded whole (wasm mpg123, 11,025 Hz
 * mono), and placed with the shipped model from the features of:
 * - a dense reference: every window of the given length, stepped by half a window (`all30`,
 *   `all15`: the song heard everywhere at that window length);
 * - spread plans: `N×L` = N windows of L seconds with equal gaps before, between and after
 *   (`3×30` is what the app reads);
 * - the whole song read as one window.
 * It prints each plan's mean |Δvalence|, |Δarousal|, largest distance and quadrant changes
 * against each reference. No labels: this measures how far a cheaper plan moves a placement,
 * not whether the placement is right (that is `npm run eval:music` on labelled clips).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeToAnalysisRate } from '../../adapters/audio/compressed-decode.ts';
import { ANALYSIS_SAMPLE_RATE_HZ } from '../../core/music/analysis-frame.ts';
import { predictSongEmotion } from '../../core/music/emotion-model.ts';
import { combineExcerptFeatures } from '../../core/music/excerpts.ts';
import { SHIPPED_MUSIC_EMOTION_MODEL } from '../../core/music/shipped-model.ts';
import { analyseMono } from '../../core/music/song-analyser.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import { concatSamples } from '../../core/typed-arrays.ts';

interface Window { startSeconds: number; lengthSeconds: number }
interface Placement { valence: number; arousal: number }

const SPREAD_PLANS: Array<[count: number, lengthSeconds: number]> = [[3, 30], [2, 30], [1, 30], [4, 15], [3, 15], [6, 15]];

function spread(durationSeconds: number, count: number, lengthSeconds: number): Window[] {
  const gap = (durationSeconds - count * lengthSeconds) / (count + 1);
  return Array.from({ length: count }, (_, i) => ({ startSeconds: gap + i * (lengthSeconds + gap), lengthSeconds }));
}

function dense(durationSeconds: number, lengthSeconds: number): Window[] {
  const windows: Window[] = [];
  for (let s = 0; s + lengthSeconds <= durationSeconds; s += lengthSeconds / 2) windows.push({ startSeconds: s, lengthSeconds });
  return windows;
}

async function decodeMono(path: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  await decodeToAnalysisRate(new Uint8Array(readFileSync(path)), (mono) => parts.push(mono.slice()));
  return concatSamples(parts);
}

/** The placements of one song under every plan, keyed by plan name. */
async function placeSong(path: string): Promise<Map<string, Placement>> {
  const mono = await decodeMono(path);
  const rate = ANALYSIS_SAMPLE_RATE_HZ;
  const durationSeconds = mono.length / rate;
  const cache = new Map<string, SongFeatures>();
  const features = (w: Window): SongFeatures => {
    const key = `${w.startSeconds.toFixed(3)}/${w.lengthSeconds}`;
    let f = cache.get(key);
    if (!f) cache.set(key, (f = analyseMono(mono.subarray(Math.round(w.startSeconds * rate), Math.round((w.startSeconds + w.lengthSeconds) * rate)), rate)));
    return f;
  };
  const place = (windows: Window[]): Placement => predictSongEmotion(combineExcerptFeatures(windows.map(features), durationSeconds), SHIPPED_MUSIC_EMOTION_MODEL);
  const placements = new Map<string, Placement>([
    ['all30', place(dense(durationSeconds, 30))],
    ['all15', place(dense(durationSeconds, 15))],
  ]);
  for (const [count, length] of SPREAD_PLANS) placements.set(`${count}×${length}`, place(spread(durationSeconds, count, length)));
  placements.set('whole', place([{ startSeconds: 0, lengthSeconds: durationSeconds }]));
  return placements;
}

const quadrant = (p: Placement): string => `${p.valence >= 0 ? '+' : '-'}${p.arousal >= 0 ? '+' : '-'}`;

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npx tsx src/training/music/compare-excerpt-plans.ts DIR_OF_SONGS');
  const songs: Array<Map<string, Placement>> = [];
  for (const name of readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.mp3')).sort()) {
    const placements = await placeSong(join(dir, name));
    songs.push(placements);
    console.log(`${name}: ${[...placements].map(([k, p]) => `${k} ${p.valence.toFixed(2)},${p.arousal.toFixed(2)}`).join(' | ')}`);
  }
  const plans = [...songs[0].keys()];
  for (const reference of ['all30', 'all15', 'whole']) {
    for (const plan of plans.filter((p) => p !== reference)) {
      const pairs = songs.map((s) => [s.get(plan)!, s.get(reference)!] as const);
      const mean = (f: (a: Placement, b: Placement) => number): number => pairs.reduce((sum, [a, b]) => sum + f(a, b), 0) / pairs.length;
      console.log(
        `vs ${reference.padEnd(5)} ${plan.padEnd(5)} mean |Δv| ${mean((a, b) => Math.abs(a.valence - b.valence)).toFixed(3)}` +
          ` mean |Δa| ${mean((a, b) => Math.abs(a.arousal - b.arousal)).toFixed(3)}` +
          ` largest ${Math.max(...pairs.map(([a, b]) => Math.hypot(a.valence - b.valence, a.arousal - b.arousal))).toFixed(3)}` +
          ` quadrant changes ${pairs.filter(([a, b]) => quadrant(a) !== quadrant(b)).length}/${pairs.length}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
