import { findFlacFrame, parseFlacBlockHeader, parseFlacStreamInfo, type FlacStreamInfo } from '../../core/audio/flac-frames.ts';
import type { Excerpt } from '../../core/music/excerpts.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import { createDecoder } from './compressed-decode.ts';
import type { AnalysisTimings } from './encoded-features.ts';
import { ExcerptWindow, type ExcerptReadOptions, type ReadRange } from './excerpt-window.ts';

/**
 * FLAC excerpts read where they are: the length comes from STREAMINFO, each excerpt's first
 * frame is found by interpolation search on the frame headers' sample numbers (a few 64-KB
 * probes), and only the frames from there to the excerpt's end are read and decoded. A 4-minute
 * FLAC file is 25–45 MB; decoding the whole of it to analyse 90 s was most of its import.
 */

/** Where a FLAC file's frames are and how long it plays. */
export interface FlacLayout {
  stream: FlacStreamInfo;
  audioStartByte: number;
  audioEndByte: number;
  durationSeconds: number;
}

/** Metadata blocks walked at most (a real file has a handful). */
const MAX_METADATA_BLOCKS = 256;
/** Bytes read per seek probe, at least (three of the largest frames are read in any case). */
const PROBE_BYTES = 16 * 1024;
/** Seek probes per excerpt at most. */
const MAX_PROBES = 12;
/** A frame this close before the wanted sample ends the search (what is decoded and dropped, s). */
const CLOSE_ENOUGH_SECONDS = 1.5;
/** Decoded before each excerpt and dropped, s: the resampler settles, as on the MP3 path. */
const PREROLL_SECONDS = 0.3;
/** Seconds of audio fed to the decoder at a time (at most {@link MAX_FEED_BYTES}). */
const FEED_SECONDS = 2;
const MAX_FEED_BYTES = 256 * 1024;

/**
 * The layout of a FLAC file from its head (which must hold STREAMINFO); the metadata blocks
 * after the head (a large cover picture) are skipped by reading only their 4-byte headers.
 * Null when the stream length is unknown (STREAMINFO says 0) or the blocks run past the file.
 */
export async function readFlacLayout(head: Uint8Array, fileBytes: number, read: ReadRange): Promise<FlacLayout | null> {
  const stream = parseFlacStreamInfo(head);
  if (!stream || stream.totalSamples === 0) return null;
  let offset = 4;
  for (let i = 0; i < MAX_METADATA_BLOCKS && offset + 4 <= fileBytes; i++) {
    const block = offset + 4 <= head.length ? parseFlacBlockHeader(head, offset) : parseFlacBlockHeader(await read(offset, offset + 4), 0);
    if (!block) return null;
    offset += 4 + block.length;
    if (block.isLast) {
      return offset < fileBytes ? { stream, audioStartByte: offset, audioEndByte: fileBytes, durationSeconds: stream.totalSamples / stream.sampleRateHz } : null;
    }
  }
  return null;
}

/**
 * The byte of a frame that starts at or before `targetSample` (by less than
 * {@link CLOSE_ENOUGH_SECONDS} when the search converges), and that frame's first sample.
 * Interpolation search: bytes grow with samples, unevenly (quiet passages compress better).
 */
export async function seekFlacFrame(layout: FlacLayout, targetSample: number, read: ReadRange): Promise<{ byte: number; sample: number }> {
  const { stream } = layout;
  const probeBytes = Math.max(PROBE_BYTES, 3 * stream.maxFrameBytes);
  const closeEnough = CLOSE_ENOUGH_SECONDS * stream.sampleRateHz;
  let lo = { byte: layout.audioStartByte, sample: 0 };
  let hi = { byte: layout.audioEndByte, sample: stream.totalSamples };
  for (let probe = 0; probe < MAX_PROBES && targetSample - lo.sample > closeEnough; probe++) {
    // Aim half the tolerance early, so that a good guess lands before the target, not after.
    const aim = Math.max(lo.sample, targetSample - closeEnough / 2);
    const fraction = (aim - lo.sample) / Math.max(1, hi.sample - lo.sample);
    const guess = Math.min(hi.byte - 1, Math.max(lo.byte + 1, Math.floor(lo.byte + fraction * (hi.byte - lo.byte))));
    const found = findFlacFrame(await read(guess, Math.min(layout.audioEndByte, guess + probeBytes)), 0, stream);
    if (!found) break;
    const at = { byte: guess + found.offset, sample: found.header.firstSample };
    if (at.byte <= lo.byte || at.byte >= hi.byte) break;
    if (at.sample > targetSample) hi = at;
    else lo = at;
  }
  return lo;
}

/**
 * Reads, decodes and analyses one excerpt of a FLAC file; null when too little of it decodes
 * (less than `minSeconds`).
 */
export async function analyseFlacExcerpt(
  layout: FlacLayout,
  excerpt: Excerpt,
  read: ReadRange,
  timings: AnalysisTimings,
  opts: ExcerptReadOptions,
): Promise<SongFeatures | null> {
  const rate = layout.stream.sampleRateHz;
  const startSample = Math.round(excerpt.startSeconds * rate);
  const from = await seekFlacFrame(layout, Math.max(0, startSample - Math.round(PREROLL_SECONDS * rate)), read);
  const window = new ExcerptWindow((startSample - from.sample) / rate, excerpt.durationSeconds, timings, opts.now);
  // Little is read past the excerpt's end, however well the file compresses.
  const bytesPerSecond = (layout.audioEndByte - layout.audioStartByte) / layout.durationSeconds;
  const feedBytes = Math.max(4096, Math.min(MAX_FEED_BYTES, Math.ceil(bytesPerSecond * FEED_SECONDS)));
  let t = opts.now();
  const decoder = await createDecoder('flac');
  await decoder.ready;
  timings.decodeMs += opts.now() - t;
  try {
    for (let offset = from.byte; offset < layout.audioEndByte && !window.full; offset += feedBytes) {
      opts.signal?.throwIfAborted();
      const chunk = await read(offset, Math.min(layout.audioEndByte, offset + feedBytes));
      t = opts.now();
      const decoded = await decoder.decode(chunk);
      timings.decodeMs += opts.now() - t;
      window.stream.consume(decoded);
      opts.onProgress(window.fraction);
    }
    // The parser holds the last frame back until it sees the next: at the file's end, flush it.
    if (!window.full && decoder.flush) window.stream.consume(await decoder.flush());
  } finally {
    decoder.free();
  }
  return window.finish(opts.minSeconds);
}
