import { createFile, Log, MP4BoxBuffer } from 'mp4box';
import { isAbortError } from '../../core/abort.ts';
import { AnalysisError } from '../../core/music/analysis-error.ts';
import type { Excerpt } from '../../core/music/excerpts.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import type { AnalysisTimings } from './encoded-features.ts';
import { ExcerptWindow, type ExcerptReadOptions, type ReadRange } from './excerpt-window.ts';
import { decodeWithWebCodecs, type EncodedFrame } from './webcodecs-audio.ts';

/**
 * M4A (AAC in MP4) excerpts read where they are: the sample table of the file's `moov` box
 * (parsed by mp4box.js, the GPAC project's MP4 parser) gives every AAC frame's byte offset, size
 * and time, so each excerpt's frames are read exactly and decoded by WebCodecs in the worker.
 * Before, an M4A was decoded whole by the browser on the page (all of a 4-minute song held
 * decoded there) and only then cut into excerpts.
 */

/** One AAC frame: where it is in the file and when it plays (in the track's timescale). */
interface AudioSampleRef {
  offset: number;
  size: number;
  dts: number;
}

/** What the analysis needs from an M4A file's `moov`. */
export interface M4aLayout {
  config: AudioDecoderConfig;
  timescale: number;
  samples: AudioSampleRef[];
  durationSeconds: number;
}

/** A `moov` larger than this is not read (a 4-minute song's is ≈ 40 KB; a huge one is not music). */
const MAX_MOOV_BYTES = 16 * 1024 * 1024;
/** Top-level boxes walked at most. */
const MAX_TOP_BOXES = 64;
/** Decoded before each excerpt and dropped, s: the decoder's overlap and the resampler settle. */
const PREROLL_SECONDS = 0.3;

let quiet = false;

/** The top-level box holding the movie's metadata, found by reading 16-byte box headers only. */
async function findMoov(fileBytes: number, read: ReadRange): Promise<{ offset: number; size: number } | null> {
  let offset = 0;
  for (let i = 0; i < MAX_TOP_BOXES && offset + 8 <= fileBytes; i++) {
    const h = await read(offset, Math.min(fileBytes, offset + 16));
    const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
    let size = view.getUint32(0);
    const type = String.fromCharCode(h[4], h[5], h[6], h[7]);
    if (size === 1 && h.length >= 16) size = Number(view.getBigUint64(8));
    else if (size === 0) size = fileBytes - offset;
    if (size < 8) return null;
    if (type === 'moov') return { offset, size };
    offset += size;
  }
  return null;
}

/** The AudioSpecificConfig in the sample entry's `esds` (what WebCodecs calls the description). */
function audioSpecificConfig(entry: unknown): Uint8Array | null {
  const esds = (entry as { esds?: { esd?: { descs?: Array<{ descs?: Array<{ data?: Uint8Array }> }> } } }).esds;
  return esds?.esd?.descs?.[0]?.descs?.[0]?.data ?? null;
}

/**
 * The first AAC track of an MP4/M4A file and its sample table; null when there is none (ALAC,
 * a video, no `moov`). Reads the file's first 64 KB and its `moov`, wherever it is (at the
 * start, or after the audio as most encoders write it).
 */
export async function parseM4aLayout(fileBytes: number, read: ReadRange): Promise<M4aLayout | null> {
  const moov = await findMoov(fileBytes, read);
  if (!moov || moov.size > MAX_MOOV_BYTES) return null;
  if (!quiet) {
    Log.setLogLevel(Log.error);
    quiet = true;
  }
  const file = createFile();
  const append = (bytes: Uint8Array, fileStart: number): void => {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.slice().buffer, fileStart));
  };
  // mp4box parses boxes in file order: the head tells it where `mdat` ends and `moov` begins.
  if (moov.offset > 0) append(await read(0, Math.min(moov.offset, 64 * 1024)), 0);
  append(await read(moov.offset, moov.offset + moov.size), moov.offset);
  file.flush();
  const track = file.getInfo().audioTracks?.find((t) => t.codec.startsWith('mp4a'));
  if (!track?.audio) return null;
  const trak = file.getTrackById(track.id);
  const description = audioSpecificConfig(trak.mdia?.minf?.stbl?.stsd?.entries?.[0]);
  const samples = (trak.samples ?? []).map((s) => ({ offset: s.offset, size: s.size, dts: s.dts }));
  if (!description || samples.length === 0) return null;
  const config: AudioDecoderConfig = { codec: track.codec, sampleRate: track.audio.sample_rate, numberOfChannels: track.audio.channel_count, description };
  return { config, timescale: track.timescale, samples, durationSeconds: track.duration / track.timescale };
}

/** {@link parseM4aLayout} where WebCodecs decodes its track here; null otherwise (Node, no AAC decoder). */
export async function readM4aLayout(fileBytes: number, read: ReadRange): Promise<M4aLayout | null> {
  if (typeof AudioDecoder === 'undefined') return null;
  const layout = await parseM4aLayout(fileBytes, read);
  if (!layout) return null;
  const support = await AudioDecoder.isConfigSupported(layout.config).catch((error: unknown) => {
    console.warn('Norae: WebCodecs could not say whether it decodes this M4A track', error);
    return { supported: false };
  });
  return support.supported ? layout : null;
}

/** Index of the first sample playing at or after `time` (track timescale). */
function firstSampleAt(samples: readonly AudioSampleRef[], time: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].dts < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Reads, decodes (WebCodecs) and analyses one excerpt of an M4A file; null when too little of
 * it decodes (less than `minSeconds`). The excerpt's frames are read as one byte range (an
 * audio-only file keeps them together); a frame outside it is skipped.
 */
export async function analyseM4aExcerpt(
  layout: M4aLayout,
  excerpt: Excerpt,
  read: ReadRange,
  timings: AnalysisTimings,
  opts: ExcerptReadOptions,
): Promise<SongFeatures | null> {
  const { samples, timescale } = layout;
  const from = Math.max(0, firstSampleAt(samples, (excerpt.startSeconds - PREROLL_SECONDS) * timescale) - 1);
  const to = Math.min(samples.length, firstSampleAt(samples, (excerpt.startSeconds + excerpt.durationSeconds) * timescale) + 2);
  if (to <= from) return null;
  opts.signal?.throwIfAborted();
  const first = Math.min(...samples.slice(from, to).map((s) => s.offset));
  const end = Math.max(...samples.slice(from, to).map((s) => s.offset + s.size));
  const bytes = await read(first, end);
  const window = new ExcerptWindow(excerpt.startSeconds - samples[from].dts / timescale, excerpt.durationSeconds, timings, opts.now);
  const { stream } = window;
  function* frames(): Generator<EncodedFrame> {
    for (let i = from; i < to; i++) {
      const s = samples[i];
      if (s.offset < first || s.offset + s.size > end) continue;
      yield { data: bytes.subarray(s.offset - first, s.offset - first + s.size), timestampMicros: Math.round((s.dts / timescale) * 1e6) };
    }
  }
  const before = stream.decodeMs + stream.resampleMs + timings.featuresMs;
  const t = opts.now();
  try {
    await decodeWithWebCodecs(
      layout.config,
      frames(),
      (chunk) => {
        if (!window.full) stream.consume(chunk);
        opts.onProgress(window.fraction);
      },
      opts.signal,
    );
  } catch (error) {
    if (isAbortError(error)) throw error;
    // Nothing decoded: the browser's own decoder gets the file (the caller's fallback). Mid-way
    // through, what decoded is the excerpt (dropped below when too short).
    if (window.empty) throw new AnalysisError('corrupt-data', `the browser’s AAC decoder failed: ${(error as Error)?.message ?? String(error)}`);
    console.warn('Norae: the browser’s AAC decoder failed mid-excerpt; keeping what it decoded', error);
  }
  // Codec time only: the mix-down, resampling and analysis inside the callback are counted apart.
  timings.decodeMs += opts.now() - t - (stream.decodeMs + stream.resampleMs + timings.featuresMs - before);
  return window.finish(opts.minSeconds);
}
