import { isAbortError, type AbortSignalLike } from '../../core/abort.ts';
import { findMp3FrameStart, mp3ByteOffsetAt, mp3HeadBytesNeeded, mp3SeekErrorBytes, readMp3Layout, type Mp3Layout } from '../../core/audio/mp3-frames.ts';
import { AnalysisError } from '../../core/music/analysis-error.ts';
import { ANALYSIS_SAMPLE_RATE_HZ } from '../../core/music/analysis-frame.ts';
import { predictSongEmotion, type MusicEmotionModel, type SongEmotion } from '../../core/music/emotion-model.ts';
import { combineExcerptFeatures, planExcerpts, type Excerpt } from '../../core/music/excerpts.ts';
import { SHIPPED_MUSIC_EMOTION_MODEL } from '../../core/music/shipped-model.ts';
import { SongAnalyser } from '../../core/music/song-analyser.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import { analysePcm } from './analyse-encoded.ts';
import { AnalysisRateStream, createDecoder, decodeToAnalysisRate, detectEncodedFormat, type EncodedFormat } from './compressed-decode.ts';
import type { AnalysisTimings } from './encoded-features.ts';
import { ExcerptWindow } from './excerpt-window.ts';
import { analyseFlacExcerpt, readFlacLayout } from './flac-excerpts.ts';
import { analyseOggExcerpt, oggWebCodecsSupported, readOggLayout } from './ogg-excerpts.ts';
import { decodeMp3WithWebCodecs, webCodecsMp3Supported } from './webcodecs-audio.ts';

/**
 * Analysis of a song's excerpts (see `planExcerpts` in core/music/excerpts.ts: up to three 30-s
 * parts, the clip length the emotion model was fitted on), reading as little of the file as the
 * format allows:
 *
 * - **MP3**: the duration and the byte position of each excerpt come from the frame headers
 *   (Xing/Info or VBRI frame count and table of contents, else the constant bit rate); only each
 *   excerpt's bytes (plus 0.3 s before it, decoded and dropped, for the bit reservoir) are read
 *   from the Blob and decoded with the wasm mpg123. A linked file is never read whole.
 * - **FLAC**: the length from STREAMINFO; each excerpt's first frame found by interpolation
 *   search on the frame headers (flac-excerpts.ts), and only its frames read and decoded.
 * - **Ogg Vorbis and Opus**: the length from the last page's granule position; each excerpt's page
 *   found by interpolation search on the pages' granule positions (ogg-excerpts.ts), and only
 *   the codec headers and the pages from there decoded. A chained or multiplexed file is read as
 *   one stream.
 * - **WAV** (and FLAC without a stated length, a chained Ogg): decoded as one stream (our wasm
 *   decoders read them front to back), and only the excerpts' samples are analysed; the plan
 *   comes from the length the tags claim.
 * - Songs up to 36 s, and files whose length is unknown, are analysed whole, as before.
 *
 * Memory per song: the file's head (ID3 tag + 16 KB), one excerpt's bytes (≈ 0.5 MB at
 * 128 kbit/s), one 128-KB chunk of decoded PCM and three analysers' per-frame summaries
 * (≈ 30 KB each); the wasm decoders keep their own few hundred KB.
 */
export interface AnalyseExcerptsOptions {
  /** File extension or MIME type (only used when the magic bytes are ambiguous). */
  formatHint?: string;
  /** The length the tags claim, s: plans the excerpts of formats read as one stream. */
  durationHintSeconds?: number;
  signal?: AbortSignalLike;
  /** Fraction done, 0 … 1. */
  onProgress?: (fraction: number) => void;
  /** Defaults to the shipped model. */
  model?: MusicEmotionModel;
  /** Decode MP3 with the browser's WebCodecs decoder where it exists (default true); false: always the wasm mpg123. */
  webCodecs?: boolean;
}

export interface AnalyseExcerptsResult {
  features: SongFeatures;
  emotion: SongEmotion;
  /** The song's playing length, s (from the headers for sliced MP3, else decoded). */
  durationSeconds: number;
  /** What was analysed, in seconds from the start (one whole-song excerpt for short songs). */
  excerpts: Excerpt[];
  /** How the audio was read: MP3, FLAC, M4A or Ogg byte ranges, or the whole stream. */
  method: 'mp3-slices' | 'flac-slices' | 'm4a-slices' | 'ogg-slices' | 'stream';
  timings: AnalysisTimings;
}

/** Decoded before each MP3 excerpt and dropped: the bit reservoir of its first frames refers back. */
const MP3_PREROLL_SECONDS = 0.3;
/** Extra seconds of bytes read past an excerpt's end (TOC positions are approximate). */
const MP3_TAIL_SECONDS = 1;
/** Frames decoded past an excerpt's end (see `mp3FramesToDecode`; 4 frames ≈ 0.1 s). */
const MP3_EXTRA_FRAMES = 4;
/** Bytes fed to the decoder at a time (≈ 8 s at 128 kbit/s). */
const FEED_BYTES = 128 * 1024;
/** An excerpt with less than this analysed (a file cut short of what its header says) is dropped. */
const MIN_EXCERPT_SECONDS = 3;

const now = (): number => performance.now();

async function readRange(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

/**
 * Analyses a song file from a Blob (a picked or linked `File`): decodes only the excerpts where
 * the format allows, places it with the model, and says what was analysed. Throws
 * `AnalysisError` (`unsupported-format` for M4A/AAC and others: decode those with the browser
 * and call {@link analysePcmExcerpts}; `corrupt-data`; `too-short`) and `AbortError`.
 */
export async function analyseBlobExcerpts(blob: Blob, opts: AnalyseExcerptsOptions = {}): Promise<AnalyseExcerptsResult> {
  const first = await readRange(blob, 0, Math.min(blob.size, 10));
  const head = await readRange(blob, 0, Math.min(blob.size, Math.max(64 * 1024, mp3HeadBytesNeeded(first))));
  let result: Omit<AnalyseExcerptsResult, 'emotion'> | null = null;
  // MP4/M4A: AAC frames read from the sample table and decoded by WebCodecs; where that is not
  // possible, detectEncodedFormat refuses it and the browser decodes it (the page's path).
  const isMp4 = head.length >= 8 && String.fromCharCode(head[4], head[5], head[6], head[7]) === 'ftyp';
  if (isMp4 && opts.webCodecs !== false) result = await analyseM4aSlices(blob, opts);
  if (!result) {
    const format = detectEncodedFormat(head, opts.formatHint);
    if (format === 'mp3') result = await analyseMp3Slices(blob, head, opts);
    else if (format === 'flac') result = await analyseFlacSlices(blob, head, opts);
    else if (format === 'ogg-vorbis' || format === 'ogg-opus') result = await analyseOggSlices(blob, head, format, opts);
    result ??= await analyseStream(await readRange(blob, 0, blob.size), format, opts.formatHint, opts);
  }
  const emotion = predictSongEmotion(result.features, opts.model ?? SHIPPED_MUSIC_EMOTION_MODEL);
  opts.onProgress?.(1);
  return { ...result, emotion };
}

/** MP3 read excerpt by excerpt; null when the layout is unreadable or one excerpt covers the song. */
async function analyseMp3Slices(blob: Blob, head: Uint8Array, opts: AnalyseExcerptsOptions): Promise<Omit<AnalyseExcerptsResult, 'emotion'> | null> {
  const tail = blob.size >= 128 ? await readRange(blob, blob.size - 128, blob.size) : new Uint8Array(0);
  const hasId3v1 = tail[0] === 0x54 && tail[1] === 0x41 && tail[2] === 0x47;
  const layout = readMp3Layout(head, blob.size, hasId3v1);
  if (!layout) return null;
  return analyseSlices(layout.durationSeconds, 'mp3-slices', opts, (excerpt, timings, onProgress) => analyseMp3Excerpt(blob, layout, excerpt, timings, opts, onProgress));
}

/** FLAC read excerpt by excerpt (see flac-excerpts.ts); null when its length is unknown or one excerpt covers the song. */
async function analyseFlacSlices(blob: Blob, head: Uint8Array, opts: AnalyseExcerptsOptions): Promise<Omit<AnalyseExcerptsResult, 'emotion'> | null> {
  const read = (start: number, end: number): Promise<Uint8Array> => readRange(blob, start, end);
  const layout = await readFlacLayout(head, blob.size, read);
  if (!layout) return null;
  return analyseSlices(layout.durationSeconds, 'flac-slices', opts, (excerpt, timings, onProgress) =>
    analyseFlacExcerpt(layout, excerpt, read, timings, { signal: opts.signal, minSeconds: MIN_EXCERPT_SECONDS, now, onProgress }),
  );
}

/**
 * Ogg Vorbis or Opus read excerpt by excerpt (see ogg-excerpts.ts); null when its layout is not
 * one to seek in or one excerpt covers the song. An excerpt path that fails (a page our seek
 * misreads) falls back to the whole stream, with a warning: slower, never lost.
 */
async function analyseOggSlices(
  blob: Blob,
  head: Uint8Array,
  format: 'ogg-vorbis' | 'ogg-opus',
  opts: AnalyseExcerptsOptions,
): Promise<Omit<AnalyseExcerptsResult, 'emotion'> | null> {
  const read = (start: number, end: number): Promise<Uint8Array> => readRange(blob, start, end);
  const layout = await readOggLayout(head, blob.size, format, read);
  if (!layout) return null;
  // Opus goes to the wasm libopus, which decodes straight to 12 kHz (see createDecoder), not to
  // WebCodecs: Chromium's Opus decoder there gives 48 kHz only and spent ≈ 1.2 s of its thread
  // on a song's three excerpts. Linked import of the 12 shared songs as 128-kbit/s Opus,
  // Chromium 156, 2 cores, one sitting: 159/172× (WebCodecs) → 218/234× (wasm at 48 kHz) →
  // 298/284× (wasm at 12 kHz), placements unchanged (music model card).
  const webCodecs = format === 'ogg-vorbis' && opts.webCodecs !== false && (await oggWebCodecsSupported(layout));
  try {
    // A short Vorbis song read whole goes through WebCodecs too where it can (the wasm Vorbis
    // decoder is then never fetched).
    return await analyseSlices(
      layout.durationSeconds,
      'ogg-slices',
      opts,
      (excerpt, timings, onProgress) =>
        analyseOggExcerpt(layout, excerpt, read, timings, { signal: opts.signal, minSeconds: Math.min(MIN_EXCERPT_SECONDS, excerpt.durationSeconds / 2), now, onProgress, webCodecs }),
      webCodecs,
    );
  } catch (error) {
    if (isAbortError(error)) throw error;
    console.warn('Norae: reading this Ogg file by excerpts failed; decoding it whole instead', error);
    return null;
  }
}

/** M4A read excerpt by excerpt (see m4a-excerpts.ts; mp4box.js loaded only for such files); null where WebCodecs cannot decode it. */
async function analyseM4aSlices(blob: Blob, opts: AnalyseExcerptsOptions): Promise<Omit<AnalyseExcerptsResult, 'emotion'> | null> {
  const { readM4aLayout, analyseM4aExcerpt } = await import('./m4a-excerpts.ts');
  const read = (start: number, end: number): Promise<Uint8Array> => readRange(blob, start, end);
  const layout = await readM4aLayout(blob.size, read);
  if (!layout) return null;
  return analyseSlices(layout.durationSeconds, 'm4a-slices', opts, (excerpt, timings, onProgress) =>
    analyseM4aExcerpt(layout, excerpt, read, timings, { signal: opts.signal, minSeconds: MIN_EXCERPT_SECONDS, now, onProgress }),
  );
}

/**
 * The planned excerpts of a song whose length is known, each read by `analyseOne` (null: too
 * little of it decoded, dropped), combined. Null when the plan is the whole song (the caller
 * reads it as one stream), unless `wholeSongToo`: then `analyseOne` reads it as one excerpt.
 */
async function analyseSlices(
  durationSeconds: number,
  method: AnalyseExcerptsResult['method'],
  opts: AnalyseExcerptsOptions,
  analyseOne: (excerpt: Excerpt, timings: AnalysisTimings, onProgress: (fraction: number) => void) => Promise<SongFeatures | null>,
  wholeSongToo = false,
): Promise<Omit<AnalyseExcerptsResult, 'emotion'> | null> {
  const plan = planExcerpts(durationSeconds);
  if (plan.length === 1 && plan[0].startSeconds === 0 && !wholeSongToo) return null;
  const timings: AnalysisTimings = { decodeMs: 0, resampleMs: 0, featuresMs: 0, tempoMs: 0 };
  const parts: SongFeatures[] = [];
  const analysed: Excerpt[] = [];
  for (const [i, excerpt] of plan.entries()) {
    opts.signal?.throwIfAborted();
    const features = await analyseOne(excerpt, timings, (f) => opts.onProgress?.((i + f) / plan.length));
    if (features) {
      parts.push(features);
      analysed.push({ startSeconds: excerpt.startSeconds, durationSeconds: features.analysedSeconds });
    }
  }
  if (parts.length === 0) throw new AnalysisError('corrupt-data', `no excerpt of this ${method.slice(0, -'-slices'.length).toUpperCase()} file could be decoded`);
  return { features: combineExcerptFeatures(parts, durationSeconds), durationSeconds, excerpts: analysed, method, timings };
}

/** Reads, decodes and analyses one MP3 excerpt; null when too little of it decodes. */
async function analyseMp3Excerpt(
  blob: Blob,
  layout: Mp3Layout,
  excerpt: Excerpt,
  timings: AnalysisTimings,
  opts: Pick<AnalyseExcerptsOptions, 'signal' | 'webCodecs'>,
  onProgress: (fraction: number) => void,
): Promise<SongFeatures | null> {
  const prerollSeconds = Math.min(MP3_PREROLL_SECONDS, excerpt.startSeconds);
  const from = mp3ByteOffsetAt(layout, excerpt.startSeconds - prerollSeconds);
  // Past the end by a second, a few frames and what a TOC position may be off by, so that a
  // whole excerpt decodes even when the excerpt starts later than planned.
  const tail = mp3ByteOffsetAt(layout, excerpt.startSeconds + excerpt.durationSeconds + MP3_TAIL_SECONDS) + 8 * 1024 + 2 * mp3SeekErrorBytes(layout);
  const to = Math.min(layout.audioEndByte, tail);
  const bytes = await readRange(blob, from, to);
  const sync = findMp3FrameStart(bytes, 0);
  if (sync < 0) return null;
  const window = new ExcerptWindow(prerollSeconds, excerpt.durationSeconds, timings, now);
  const { stream } = window;
  const frames = bytes.subarray(sync);
  if (opts.webCodecs !== false && (await webCodecsMp3Supported(layout.first))) {
    const before = stream.decodeMs + stream.resampleMs + timings.featuresMs;
    const t = now();
    try {
      await decodeMp3WithWebCodecs(
        frames,
        (chunk) => {
          if (window.full) return;
          stream.consume(chunk);
          onProgress(window.fraction);
        },
        opts.signal,
        mp3FramesToDecode(layout, prerollSeconds + excerpt.durationSeconds),
      );
    } catch (error) {
      if (isAbortError(error)) throw error;
      // With nothing decoded the wasm decoder gets its chance below; mid-way through, what
      // decoded is the excerpt (it is dropped below when too short).
      console.warn(`Norae: the browser’s MP3 decoder failed ${window.empty ? 'on an excerpt; trying the wasm decoder' : 'mid-excerpt; keeping what it decoded'}`, error);
    }
    // Codec time only: the mix-down, resampling and analysis inside the callback are counted apart.
    timings.decodeMs += now() - t - (stream.decodeMs + stream.resampleMs + timings.featuresMs - before);
  }
  if (window.empty) await decodeMp3WithWasm(frames, stream, () => !window.full, timings, opts.signal, () => onProgress(window.fraction));
  const features = window.finish(MIN_EXCERPT_SECONDS);
  if (features) onProgress(1);
  return features;
}

/**
 * MP3 frames that hold `seconds` of audio from a frame boundary, and a few more: the decoder's
 * own delay and the resampler's look-ahead (≈ 60 input samples) must not leave the excerpt's
 * last samples undecoded. Why a count: the bytes read run a second and more past the excerpt
 * (a TOC position is approximate), and decoding those was ≈ 5 % of the codec's work, thrown away.
 */
function mp3FramesToDecode(layout: Mp3Layout, seconds: number): number {
  return Math.ceil((seconds * layout.first.sampleRateHz) / layout.first.samplesPerFrame) + MP3_EXTRA_FRAMES;
}

/** The wasm mpg123 on frames from a frame boundary, fed chunk by chunk while `more()` says so. */
async function decodeMp3WithWasm(
  frames: Uint8Array,
  stream: AnalysisRateStream,
  more: () => boolean,
  timings: AnalysisTimings,
  signal: AbortSignalLike | undefined,
  onChunk: () => void,
): Promise<void> {
  let t = now();
  const decoder = await createDecoder('mp3');
  await decoder.ready;
  timings.decodeMs += now() - t;
  try {
    for (let offset = 0; offset < frames.length && more(); offset += FEED_BYTES) {
      signal?.throwIfAborted();
      t = now();
      const decoded = await decoder.decode(frames.subarray(offset, Math.min(frames.length, offset + FEED_BYTES)));
      timings.decodeMs += now() - t;
      stream.consume(decoded);
      onChunk();
    }
  } finally {
    decoder.free();
  }
}

/**
 * Formats read front to back (Ogg, WAV, and MP3 or FLAC without a readable layout): the whole
 * stream is decoded and only the planned excerpts' samples are analysed, each by its own
 * analyser. The plan comes from the claimed length; without one the song is analysed whole.
 */
async function analyseStream(
  bytes: Uint8Array,
  format: EncodedFormat,
  formatHint: string | undefined,
  opts: AnalyseExcerptsOptions,
): Promise<Omit<AnalyseExcerptsResult, 'emotion'>> {
  const plan = planExcerpts(opts.durationHintSeconds ?? Number.NaN);
  const windows = plan.map((e) => ({
    excerpt: e,
    from: Math.round(e.startSeconds * ANALYSIS_SAMPLE_RATE_HZ),
    to: e.durationSeconds === Infinity ? Infinity : Math.round((e.startSeconds + e.durationSeconds) * ANALYSIS_SAMPLE_RATE_HZ),
    analyser: new SongAnalyser({ now }),
  }));
  let featuresMs = 0;
  let seen = 0;
  const decoded = await decodeToAnalysisRate(
    bytes,
    (mono) => {
      const t = now();
      for (const w of windows) {
        const lo = Math.max(0, w.from - seen);
        const hi = Math.min(mono.length, w.to - seen);
        if (hi > lo) w.analyser.push(mono.subarray(lo, hi));
      }
      seen += mono.length;
      featuresMs += now() - t;
    },
    { formatHint: formatHint ?? format, signal: opts.signal, onProgress: opts.onProgress, now },
  );
  opts.signal?.throwIfAborted();
  const t = now();
  // A claimed length longer than the audio leaves late excerpts short or empty: drop those.
  const kept = windows.filter((w, i) => i === 0 || w.analyser.pushedSeconds >= MIN_EXCERPT_SECONDS);
  const parts = kept.map((w) => w.analyser.finish());
  const tempoMs = kept.reduce((sum, w) => sum + w.analyser.tempoMs, 0);
  featuresMs += now() - t - tempoMs;
  return {
    features: combineExcerptFeatures(parts, decoded.durationSeconds),
    durationSeconds: decoded.durationSeconds,
    excerpts: kept.map((w, i) => ({ startSeconds: w.excerpt.startSeconds, durationSeconds: parts[i].analysedSeconds })),
    method: 'stream',
    timings: { decodeMs: decoded.decodeMs, resampleMs: decoded.resampleMs, featuresMs, tempoMs },
  };
}

/**
 * The same excerpts of PCM the browser decoded (M4A/AAC, or what our decoders reject): each
 * excerpt mixed down, resampled and analysed on its own, then combined. `timings.decodeMs` is 0
 * (the caller decoded).
 */
export function analysePcmExcerpts(
  channels: readonly Float32Array[],
  sampleRateHz: number,
  opts: Pick<AnalyseExcerptsOptions, 'signal' | 'onProgress' | 'model'> = {},
): AnalyseExcerptsResult {
  const frames = channels.length ? Math.min(...channels.map((c) => c.length)) : 0;
  const durationSeconds = frames / sampleRateHz;
  const plan = planExcerpts(durationSeconds);
  const timings: AnalysisTimings = { decodeMs: 0, resampleMs: 0, featuresMs: 0, tempoMs: 0 };
  const parts: SongFeatures[] = [];
  for (const [i, excerpt] of plan.entries()) {
    const from = Math.round(excerpt.startSeconds * sampleRateHz);
    const to = Math.min(frames, excerpt.durationSeconds === Infinity ? frames : Math.round((excerpt.startSeconds + excerpt.durationSeconds) * sampleRateHz));
    const part = analysePcm(channels.map((c) => c.subarray(from, to)), sampleRateHz, {
      signal: opts.signal,
      onProgress: (f) => opts.onProgress?.((i + f) / plan.length),
      model: opts.model,
    });
    for (const key of Object.keys(timings) as Array<keyof AnalysisTimings>) timings[key] += part.timings[key];
    parts.push(part.features);
  }
  const features = combineExcerptFeatures(parts, durationSeconds);
  return {
    features,
    emotion: predictSongEmotion(features, opts.model ?? SHIPPED_MUSIC_EMOTION_MODEL),
    durationSeconds,
    excerpts: plan.map((e, i) => ({ startSeconds: e.startSeconds, durationSeconds: parts[i].analysedSeconds })),
    method: 'stream',
    timings,
  };
}
