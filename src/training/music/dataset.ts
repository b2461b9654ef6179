import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyseBlobExcerpts } from '../../adapters/audio/analyse-excerpts.ts';
import type { AnalysisTimings } from '../../adapters/audio/encoded-features.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import { parseCsvRecords } from './csv.ts';

/** One manifest row: `file` relative to the manifest, optional labels, every other column kept. */
export interface ManifestEntry {
  file: string;
  absolutePath: string;
  quadrant?: 'Q1' | 'Q2' | 'Q3' | 'Q4';
  /** +1 / −1 when labelled. */
  valenceSign?: number;
  arousalSign?: number;
  artist?: string;
  columns: Record<string, string>;
}

const QUADRANT_SIGNS: Record<string, [number, number]> = { Q1: [1, 1], Q2: [-1, 1], Q3: [-1, -1], Q4: [1, -1] };

function sign(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const v = Number(text);
  if (v > 0) return 1;
  if (v < 0 || v === 0) return -1; // 0/1 encodings: 0 means negative
  return undefined;
}

/** Reads a manifest CSV (`file` column required; `quadrant`, `valence_sign`, `arousal_sign`, `artist` optional). */
export function readManifest(manifestPath: string): ManifestEntry[] {
  const records = parseCsvRecords(readFileSync(manifestPath, 'utf8'));
  const base = dirname(resolve(manifestPath));
  return records.map((columns, i) => {
    if (!columns.file) throw new Error(`${manifestPath}: row ${i + 2} has no "file"`);
    const entry: ManifestEntry = { file: columns.file, absolutePath: resolve(base, columns.file), columns };
    const q = columns.quadrant?.trim().toUpperCase();
    if (q && QUADRANT_SIGNS[q]) {
      entry.quadrant = q as ManifestEntry['quadrant'];
      [entry.valenceSign, entry.arousalSign] = QUADRANT_SIGNS[q];
    }
    entry.valenceSign = sign(columns.valence_sign) ?? entry.valenceSign;
    entry.arousalSign = sign(columns.arousal_sign) ?? entry.arousalSign;
    if (columns.artist) entry.artist = columns.artist;
    return entry;
  });
}

/** Quadrant of a (valence, arousal) pair by signs (0 counts as positive). */
export function quadrantOf(valence: number, arousal: number): 'Q1' | 'Q2' | 'Q3' | 'Q4' {
  if (arousal >= 0) return valence >= 0 ? 'Q1' : 'Q2';
  return valence >= 0 ? 'Q4' : 'Q3';
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Hash of the analysis sources: cached features are reused only while the analyser is unchanged. */
export function analyserSourceHash(): string {
  const hash = createHash('sha256');
  const dirs = ['src/core/audio', 'src/core/music', 'src/adapters/audio'];
  const skip = new Set(['emotion-model.ts', 'shipped-model.ts', 'analyse-encoded.ts', 'decode.ts', 'media-session.ts', 'tags.ts']);
  for (const dir of dirs) {
    for (const name of readdirSync(join(REPO_ROOT, dir)).sort()) {
      if (!name.endsWith('.ts') || skip.has(name)) continue;
      hash.update(name);
      hash.update(readFileSync(join(REPO_ROOT, dir, name)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

export interface CachedFeatures {
  features: SongFeatures;
  timings: AnalysisTimings;
}

/**
 * Features of one file, from `.cache/music-features/` when the file and the analyser sources
 * are unchanged, else extracted with the app's own path (`analyseBlobExcerpts`: the excerpts
 * the app reads — a 30-s clip as its two 15-s halves — decoded, analysed and combined) and cached.
 */
export async function featuresWithCache(absolutePath: string, sourceHash: string, cacheDir = join(REPO_ROOT, '.cache/music-features')): Promise<CachedFeatures & { cached: boolean }> {
  const stat = statSync(absolutePath);
  const key = createHash('sha256').update(`${absolutePath}|${stat.size}|${stat.mtimeMs}|${sourceHash}`).digest('hex').slice(0, 24);
  const cachePath = join(cacheDir, `${key}.json`);
  try {
    const cached = JSON.parse(readFileSync(cachePath, 'utf8')) as CachedFeatures;
    return { ...cached, cached: true };
  } catch {
    // Not cached yet.
  }
  const result = await analyseBlobExcerpts(new Blob([readFileSync(absolutePath)]), { formatHint: absolutePath.split('.').pop() });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cachePath, JSON.stringify({ features: result.features, timings: result.timings }));
  return { features: result.features, timings: result.timings, cached: false };
}

/** Repository-relative path for messages. */
export function fromRepo(path: string): string {
  return relative(REPO_ROOT, path);
}

export { REPO_ROOT };
