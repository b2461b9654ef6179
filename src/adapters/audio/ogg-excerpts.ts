import { isAbortError } from '../../core/abort.ts';
import { OGG_MAX_PAGE_BYTES, OggPacketReader, oggPagesIn, parseOggPage, type OggPage } from '../../core/audio/ogg-pages.ts';
import type { Excerpt } from '../../core/music/excerpts.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import { createDecoder } from './compressed-decode.ts';
import type { AnalysisTimings } from './encoded-features.ts';
import { ExcerptWindow, type ExcerptReadOptions, type ReadRange } from './excerpt-window.ts';
import { decodeWithWebCodecs, type EncodedFrame } from './webcodecs-audio.ts';

/**
 * Ogg Vorbis and Ogg Opus excerpts read where they are: the length comes from the last page's
 * granule position, each excerpt's page is found by interpolation search on the pages' granule
 * positions, and only the pages from there to the excerpt's end are read and decoded: by the
 * browser's own decoder through WebCodecs where it has one (Chromium: the packets, with the codec
 * headers as its description), else by our wasm Vorbis or Opus decoder given the header pages
 * first. Before, an Ogg file was read and decoded whole to analyse 90 s of it.
 *
 * Where the decoder's output starts after such a jump was measured against a whole-file decode
 * (the samples match exactly): for Vorbis half a long block after the granule position of the
 * page before (the first packet only primes the overlap), for Opus at that granule position (the
 * decoder drops the pre-skip again).
 */

/** What reading an Ogg file's excerpts needs. */
export interface OggLayout {
  format: 'ogg-vorbis' | 'ogg-opus';
  serial: number;
  /** The codec header pages, fed to each excerpt's decoder first. */
  headerBytes: Uint8Array;
  audioStartByte: number;
  audioEndByte: number;
  /** Granule positions per second: the sample rate for Vorbis, 48,000 for Opus. */
  granuleRateHz: number;
  /** Granules after a page's position where a decoder started on the next page outputs its first sample. */
  seekOutputDelay: number;
  durationSeconds: number;
  /** The largest page seen (its head and tail), bytes: sizes the seek probes. */
  largestPageBytes: number;
  /** The stream as WebCodecs is told it (the codec headers as the description). */
  decoderConfig: AudioDecoderConfig;
}

/** The codec headers of a real file take a few KB; past this (a huge cover in the comments) the file is read as one stream. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** Seek probes per excerpt at most. */
const MAX_PROBES = 12;
/** A page this close before the wanted time ends the search (what is decoded and dropped, s). */
const CLOSE_ENOUGH_SECONDS = 1.5;
/** Decoded before each excerpt and dropped, s: the codec's overlap and the resampler settle. */
const PREROLL_SECONDS = 0.3;
/** Seconds of audio fed to the decoder at a time. */
const FEED_SECONDS = 2;

/** The page at `offset` of the file, from `head` when it holds it, else read. */
async function pageAt(offset: number, head: Uint8Array, fileBytes: number, read: ReadRange): Promise<{ page: OggPage; bytes: Uint8Array } | null> {
  const inHead = parseOggPage(head, offset);
  if (inHead) return { page: inHead, bytes: head.subarray(offset, offset + inHead.pageBytes) };
  if (offset >= fileBytes) return null;
  const bytes = await read(offset, Math.min(fileBytes, offset + OGG_MAX_PAGE_BYTES));
  const page = parseOggPage(bytes, 0);
  return page ? { page: { ...page, offset }, bytes: bytes.subarray(0, page.pageBytes) } : null;
}

/** The first packet's bytes on a page that holds it whole (the identification header). */
function firstPacket(page: Uint8Array): Uint8Array {
  const segments = page[26];
  let size = 0;
  for (let i = 0; i < segments; i++) {
    size += page[27 + i];
    if (page[27 + i] < 255) break;
  }
  return page.subarray(27 + segments, 27 + segments + size);
}

/** Granule rate, decoder delay after a jump, and pre-skip from the identification header; null when it is neither codec's. */
function codecClock(id: Uint8Array, format: OggLayout['format']): { rateHz: number; seekOutputDelay: number; preSkip: number } | null {
  const ascii = (from: number, n: number): string => String.fromCharCode(...id.subarray(from, from + n));
  const view = new DataView(id.buffer, id.byteOffset, id.byteLength);
  if (format === 'ogg-vorbis' && id.length >= 30 && id[0] === 1 && ascii(1, 6) === 'vorbis') {
    const rateHz = view.getUint32(12, true);
    // Blocksizes are powers of two in the byte after the bit rates: low nibble short, high long.
    const longBlock = 2 ** (id[28] >> 4);
    return rateHz > 0 ? { rateHz, seekOutputDelay: longBlock / 2, preSkip: 0 } : null;
  }
  if (format === 'ogg-opus' && id.length >= 19 && ascii(0, 8) === 'OpusHead') return { rateHz: 48_000, seekOutputDelay: 0, preSkip: view.getUint16(10, true) };
  return null;
}

/**
 * The layout of an Ogg Vorbis or Opus file: its header pages (walked page by page, so a cover
 * in the comments past `head` is read but never parsed), its clock, and its length from the
 * last page. Null for what is safer decoded as one stream: a multiplexed or chained file, a
 * last page of another stream, headers past {@link MAX_HEADER_BYTES}.
 */
export async function readOggLayout(head: Uint8Array, fileBytes: number, format: OggLayout['format'], read: ReadRange): Promise<OggLayout | null> {
  const first = await pageAt(0, head, fileBytes, read);
  if (!first?.page.beginsStream) return null;
  const clock = codecClock(firstPacket(first.bytes), format);
  if (!clock) return null;
  const { serial } = first.page;
  let offset = first.page.pageBytes;
  let largestPageBytes = first.page.pageBytes;
  const headerPages: Uint8Array[] = [first.bytes];
  for (;;) {
    const next = await pageAt(offset, head, fileBytes, read);
    if (!next || next.page.serial !== serial || offset > MAX_HEADER_BYTES) return null;
    if (next.page.granulePosition !== 0) break;
    headerPages.push(next.bytes);
    largestPageBytes = Math.max(largestPageBytes, next.page.pageBytes);
    offset += next.page.pageBytes;
  }
  // The last pages are small at a low bit rate: 16 KB first, then as much as two of the largest.
  let tailPages: OggPage[] = [];
  for (const tailBytes of [16 * 1024, 2 * OGG_MAX_PAGE_BYTES]) {
    tailPages = oggPagesIn(await read(Math.max(offset, fileBytes - tailBytes), fileBytes), 0, serial);
    if (tailPages.some((p) => p.granulePosition > 0) || fileBytes - tailBytes <= offset) break;
  }
  const last = tailPages.filter((p) => p.granulePosition > 0).at(-1);
  if (!last) return null;
  for (const p of tailPages) largestPageBytes = Math.max(largestPageBytes, p.pageBytes);
  const durationSeconds = (last.granulePosition - clock.preSkip) / clock.rateHz;
  if (!(durationSeconds > 0)) return null;
  const headerBytes = new Uint8Array(offset);
  let at = 0;
  for (const page of headerPages) {
    headerBytes.set(page, at);
    at += page.length;
  }
  const decoderConfig = webCodecsConfig(format, new OggPacketReader(serial).push(headerBytes), clock.rateHz);
  if (!decoderConfig) return null;
  return {
    format,
    serial,
    headerBytes,
    audioStartByte: offset,
    audioEndByte: fileBytes,
    granuleRateHz: clock.rateHz,
    seekOutputDelay: clock.seekOutputDelay,
    durationSeconds,
    largestPageBytes,
    decoderConfig,
  };
}

/** Xiph lacing of a packet's size (runs of 255, then the rest). */
const xiphLacing = (size: number): number[] => [...Array<number>(Math.floor(size / 255)).fill(255), size % 255];

/**
 * The WebCodecs configuration of a stream from its header packets (Vorbis: identification,
 * comment, setup, given as Xiph-laced "extradata"; Opus: the OpusHead packet). Null when the
 * headers are not all there.
 */
function webCodecsConfig(format: OggLayout['format'], headers: readonly Uint8Array[], rateHz: number): AudioDecoderConfig | null {
  if (format === 'ogg-opus') {
    const head = headers[0];
    return head && head.length >= 19 ? { codec: 'opus', sampleRate: rateHz, numberOfChannels: head[9], description: head } : null;
  }
  if (headers.length < 3) return null;
  const [id, comment, setup] = headers;
  const description = Uint8Array.from([2, ...xiphLacing(id.length), ...xiphLacing(comment.length), ...id, ...comment, ...setup]);
  return { codec: 'vorbis', sampleRate: rateHz, numberOfChannels: id[11], description };
}

const supported = new Map<string, Promise<boolean>>();

/** Whether WebCodecs decodes this stream here (asked once per codec, rate and channel count). */
export function oggWebCodecsSupported(layout: OggLayout): Promise<boolean> {
  if (typeof AudioDecoder === 'undefined' || typeof EncodedAudioChunk === 'undefined') return Promise.resolve(false);
  const { codec, sampleRate, numberOfChannels } = layout.decoderConfig;
  const key = `${codec}/${sampleRate}/${numberOfChannels}`;
  let answer = supported.get(key);
  if (!answer) {
    answer = AudioDecoder.isConfigSupported(layout.decoderConfig)
      .then((r) => r.supported === true)
      .catch((error: unknown) => {
        console.warn('Norae: WebCodecs could not say whether it decodes this Ogg stream', error);
        return false;
      });
    supported.set(key, answer);
  }
  return answer;
}

/** Where a decoder may start (a page boundary) and when its first output sample plays, s. */
interface SeekPoint {
  byte: number;
  seconds: number;
}

/**
 * A page boundary whose first decoded sample plays at or before `targetSeconds` (by less than
 * {@link CLOSE_ENOUGH_SECONDS} when the search converges). Interpolation search on the pages'
 * granule positions (bytes grow with time, unevenly); each probe reads a window starting two pages
 * before its guess and uses every page in it, since a page can hold a second of audio.
 */
export async function seekOggPage(layout: OggLayout, targetSeconds: number, read: ReadRange): Promise<SeekPoint> {
  const probeBytes = Math.min(2 * OGG_MAX_PAGE_BYTES, Math.max(16 * 1024, 4 * layout.largestPageBytes));
  let lo: SeekPoint = { byte: layout.audioStartByte, seconds: 0 };
  let hi: SeekPoint = { byte: layout.audioEndByte, seconds: layout.durationSeconds };
  for (let probe = 0; probe < MAX_PROBES && targetSeconds - lo.seconds > CLOSE_ENOUGH_SECONDS; probe++) {
    // Aim half the tolerance early, so that a good guess lands before the target, not after.
    const aim = Math.max(lo.seconds, targetSeconds - CLOSE_ENOUGH_SECONDS / 2);
    const fraction = (aim - lo.seconds) / Math.max(1e-6, hi.seconds - lo.seconds);
    const guess = Math.floor(lo.byte + fraction * (hi.byte - lo.byte));
    const start = Math.max(lo.byte, guess - 2 * layout.largestPageBytes);
    const bytes = await read(start, Math.min(hi.byte, start + probeBytes));
    let moved = false;
    for (const page of oggPagesIn(bytes, 0, layout.serial)) {
      if (page.granulePosition <= 0) continue;
      const at = { byte: start + page.offset + page.pageBytes, seconds: (page.granulePosition + layout.seekOutputDelay) / layout.granuleRateHz };
      if (at.byte <= lo.byte || at.byte >= hi.byte) continue;
      if (at.seconds <= targetSeconds) lo = at;
      else hi = at;
      moved = true;
      if (at.seconds > targetSeconds) break;
    }
    if (!moved) break;
  }
  return lo;
}

/**
 * Reads, decodes and analyses one excerpt of an Ogg Vorbis or Opus file; null when too little
 * of it decodes (less than `minSeconds`). `webCodecs`: decode with the browser's decoder (see
 * {@link oggWebCodecsSupported}); should it fail before any audio, our wasm decoder reads the
 * excerpt instead.
 */
export async function analyseOggExcerpt(
  layout: OggLayout,
  excerpt: Excerpt,
  read: ReadRange,
  timings: AnalysisTimings,
  opts: ExcerptReadOptions & { webCodecs: boolean },
): Promise<SongFeatures | null> {
  const from = await seekOggPage(layout, Math.max(0, excerpt.startSeconds - PREROLL_SECONDS), read);
  const bytesPerSecond = (layout.audioEndByte - layout.audioStartByte) / layout.durationSeconds;
  const feedBytes = Math.max(4096, Math.ceil(bytesPerSecond * FEED_SECONDS));
  // WebCodecs takes packets one by one whatever is read, so its first read is the whole excerpt
  // as the average bit rate sizes it (each read of a linked file costs ~1 ms in a worker: 2-s
  // feeds made reading the largest cost of an Ogg import); the wasm decoder returns all it is
  // given decoded at once, so it gets 2-s feeds (≈ 0.7 MB of PCM each, not 10 MB).
  const excerptBytes = Math.ceil((excerpt.startSeconds - from.seconds + excerpt.durationSeconds + 1) * bytesPerSecond * 1.1);
  const feeds = async function* (window: ExcerptWindow, firstBytes: number): AsyncGenerator<Uint8Array> {
    for (let offset = from.byte, size = firstBytes; offset < layout.audioEndByte && !window.full; offset += size, size = feedBytes) {
      opts.signal?.throwIfAborted();
      yield await read(offset, Math.min(layout.audioEndByte, offset + size));
      opts.onProgress(window.fraction);
    }
  };
  const newWindow = (): ExcerptWindow => new ExcerptWindow(excerpt.startSeconds - from.seconds, excerpt.durationSeconds, timings, opts.now);
  if (opts.webCodecs) {
    const window = newWindow();
    try {
      await decodeOggWithWebCodecs(layout, feeds(window, Math.max(feedBytes, excerptBytes)), window, timings, opts);
      return window.finish(opts.minSeconds);
    } catch (error) {
      if (isAbortError(error) || !window.empty) throw error;
      console.warn('Norae: the browser’s Ogg decoder failed on an excerpt; trying the wasm decoder', error);
    }
  }
  const window = newWindow();
  await decodeOggWithWasm(layout, feeds(window, feedBytes), window, timings, opts);
  return window.finish(opts.minSeconds);
}

/** The excerpt's packets through WebCodecs, into `window`; codec time only into `timings.decodeMs`. */
async function decodeOggWithWebCodecs(
  layout: OggLayout,
  feeds: AsyncIterable<Uint8Array>,
  window: ExcerptWindow,
  timings: AnalysisTimings,
  opts: ExcerptReadOptions,
): Promise<void> {
  const { stream } = window;
  async function* packets(): AsyncGenerator<EncodedFrame> {
    const reader = new OggPacketReader(layout.serial);
    let index = 0;
    // Timestamps only need to grow: where the audio is comes from the seek, not from them.
    // No packet once the excerpt is whole: the first feed runs seconds past its end.
    for await (const bytes of feeds) {
      for (const data of reader.push(bytes)) {
        if (window.full) return;
        yield { data, timestampMicros: index++ * 1000 };
      }
    }
  }
  const before = stream.decodeMs + stream.resampleMs + timings.featuresMs;
  const t = opts.now();
  try {
    await decodeWithWebCodecs(layout.decoderConfig, packets(), (chunk) => {
      if (!window.full) stream.consume(chunk);
    }, opts.signal);
  } finally {
    timings.decodeMs += opts.now() - t - (stream.decodeMs + stream.resampleMs + timings.featuresMs - before);
  }
}

/** The excerpt's pages through our wasm decoder, given the header pages first, into `window`. */
async function decodeOggWithWasm(
  layout: OggLayout,
  feeds: AsyncIterable<Uint8Array>,
  window: ExcerptWindow,
  timings: AnalysisTimings,
  opts: ExcerptReadOptions,
): Promise<void> {
  let t = opts.now();
  const decoder = await createDecoder(layout.format);
  await decoder.ready;
  timings.decodeMs += opts.now() - t;
  try {
    t = opts.now();
    window.stream.consume(await decoder.decode(layout.headerBytes));
    timings.decodeMs += opts.now() - t;
    for await (const bytes of feeds) {
      t = opts.now();
      const decoded = await decoder.decode(bytes);
      timings.decodeMs += opts.now() - t;
      window.stream.consume(decoded);
    }
    if (!window.full && decoder.flush) window.stream.consume(await decoder.flush());
  } finally {
    decoder.free();
  }
}
