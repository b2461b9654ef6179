import type { AbortSignalLike } from '../../core/abort.ts';
import { downmixToMono } from '../../core/audio/downmix.ts';
import { StreamingResampler } from '../../core/audio/resample.ts';
import { AnalysisError } from '../../core/music/analysis-error.ts';
import { ANALYSIS_SAMPLE_RATE_HZ } from '../../core/music/analysis-frame.ts';
import { createWavStreamDecoder } from './wav-stream.ts';

/**
 * Streaming decode of encoded audio bytes to mono at the analysis rate, with wasm decoders
 * that run the same in a Web Worker and in Node (mpg123-decoder, @wasm-audio-decoders/flac,
 * @wasm-audio-decoders/ogg-vorbis, ogg-opus-decoder) and a hand-written WAV reader. Input is fed
 * in chunks and each decoded chunk is mixed down, resampled and handed on at once, so memory
 * holds one chunk of PCM, never the whole song. M4A/AAC (and anything else) is refused with
 * `AnalysisError('unsupported-format')`: the browser decodes those with decodeAudioData and
 * passes the PCM to `analyseMono`.
 */
export type EncodedFormat = 'mp3' | 'flac' | 'ogg-vorbis' | 'ogg-opus' | 'wav';

/** Bytes fed to a decoder at a time: ≈ 8 s of 128 kbit/s MP3, bounded PCM per step. */
const CHUNK_BYTES = 128 * 1024;

export interface DecodeStreamOptions {
  /** File extension or MIME type, used when the magic bytes are ambiguous. */
  formatHint?: string;
  signal?: AbortSignalLike;
  /** Fraction of input bytes consumed, 0 … 1. */
  onProgress?: (fraction: number) => void;
  /** Clock for the timings (ms); defaults to `performance.now`. */
  now?: () => number;
}

export interface DecodeStreamResult {
  format: EncodedFormat;
  /** The file's own sample rate and channel count. */
  sourceSampleRateHz: number;
  channelCount: number;
  /** Decoded length in seconds. */
  durationSeconds: number;
  /** Time spent in the codec and the mix-down, ms. */
  decodeMs: number;
  /** Time spent resampling to the analysis rate, ms. */
  resampleMs: number;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let i = offset; i < Math.min(bytes.length, offset + length); i++) text += String.fromCharCode(bytes[i]);
  return text;
}

function indexOfAscii(bytes: Uint8Array, needle: string, limit: number): number {
  const end = Math.min(bytes.length, limit) - needle.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/**
 * Recognises the container from magic bytes (the hint only breaks ties). Throws
 * `AnalysisError('unsupported-format')` for M4A/AAC, WMA, and anything unknown.
 */
export function detectEncodedFormat(bytes: Uint8Array, formatHint?: string): EncodedFormat {
  const hint = (formatHint ?? '').toLowerCase();
  const head4 = ascii(bytes, 0, 4);
  if (head4 === 'fLaC') return 'flac';
  if (head4 === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav';
  if (head4 === 'OggS') {
    // The first page carries the codec's identification header.
    if (indexOfAscii(bytes, 'OpusHead', 512) >= 0) return 'ogg-opus';
    if (indexOfAscii(bytes, 'vorbis', 512) >= 0) return 'ogg-vorbis';
    if (indexOfAscii(bytes, 'fLaC', 512) >= 0) throw new AnalysisError('unsupported-format', 'FLAC inside Ogg is not supported');
    throw new AnalysisError('unsupported-format', 'unknown codec inside an Ogg container');
  }
  if (ascii(bytes, 4, 4) === 'ftyp') throw new AnalysisError('unsupported-format', 'MP4/M4A (AAC/ALAC) needs the browser decoder');
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  // MPEG audio frame sync: 11 set bits, layer ≠ reserved. (ADTS AAC has layer bits 00.)
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) {
    if ((bytes[1] & 0x06) === 0) throw new AnalysisError('unsupported-format', 'raw AAC (ADTS) needs the browser decoder');
    return 'mp3';
  }
  if (/mp3|mpeg/.test(hint)) return 'mp3';
  throw new AnalysisError('unsupported-format', `cannot decode this file${hint ? ` (${hint})` : ''}: not MP3, FLAC, Ogg Vorbis/Opus or WAV`);
}

/** What a decoder returns for one chunk of input. */
export interface DecodedChunk {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
}

/** The common shape of the four decoders (sync `decode` for MPEG and Opus, async for the rest). */
export interface ChunkDecoder {
  ready: Promise<void>;
  decode(chunk: Uint8Array): DecodedChunk | Promise<DecodedChunk>;
  flush?(): Promise<DecodedChunk>;
  free(): void;
}

/** Opus is decoded at this rate, Hz: the lowest libopus rate above {@link ANALYSIS_SAMPLE_RATE_HZ}. */
export const OPUS_DECODE_RATE_HZ = 12_000;

/**
 * Loads only the decoder a file needs: each wasm decoder is a separate chunk for the bundler
 * (ogg-opus-decoder's speech-enhancement model, 4 MB, is a chunk of its own that we never ask for), so an MP3 library never
 * downloads or compiles the Opus one.
 */
export async function createDecoder(format: EncodedFormat): Promise<ChunkDecoder> {
  switch (format) {
    case 'mp3':
      return new (await import('mpg123-decoder')).MPEGDecoder();
    case 'flac':
      return (await import('./flac-decoder.ts')).createFlacDecoder();
    case 'ogg-vorbis':
      return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder();
    case 'ogg-opus': {
      const { OggOpusDecoder } = await import('ogg-opus-decoder');
      // ogg-opus-decoder reads `sampleRate` (libopus decodes to 8, 12, 16, 24 or 48 kHz); its
      // typings omit it. 12 kHz: the lowest rate above the analysis rate, so less to decode and
      // to resample, and the same placements as at 48 kHz (music model card).
      const options = { sampleRate: OPUS_DECODE_RATE_HZ } as ConstructorParameters<typeof OggOpusDecoder>[0];
      return new OggOpusDecoder(options);
    }
    case 'wav':
      return createWavStreamDecoder();
  }
}

/**
 * Mixes decoded chunks down to mono and resamples them to {@link ANALYSIS_SAMPLE_RATE_HZ} as
 * they come, counting frames and timing the work (the mixdown counts as decoding).
 */
export class AnalysisRateStream {
  decodeMs = 0;
  resampleMs = 0;
  private resampler: StreamingResampler | null = null;
  private sourceRate = 0;
  private channelCount = 0;
  private totalFrames = 0;
  private mono = new Float32Array(0);

  constructor(
    private readonly onSamples: (monoAtAnalysisRate: Float32Array) => void,
    private readonly now: () => number,
  ) {}

  /** Takes one decoded chunk; the first sets the source rate (a later change of rate is ignored). */
  consume(decoded: DecodedChunk): void {
    const frames = decoded.samplesDecoded;
    if (!frames) return;
    if (!this.resampler) {
      this.sourceRate = decoded.sampleRate;
      this.channelCount = decoded.channelData.length;
      if (!(this.sourceRate >= 1000 && this.sourceRate <= 768_000)) {
        throw new AnalysisError('corrupt-data', `decoder reported an impossible sample rate (${this.sourceRate} Hz)`);
      }
      this.resampler = new StreamingResampler({ inputRateHz: this.sourceRate, outputRateHz: ANALYSIS_SAMPLE_RATE_HZ });
    } else if (decoded.sampleRate !== this.sourceRate) {
      // A chained stream that changes rate mid-file: keep going at the first rate's clock.
      // Rare (radio rips); analysis stays valid apart from pitch-based features of that part.
    }
    const t0 = this.now();
    if (this.mono.length < frames) this.mono = new Float32Array(frames);
    const mixed = downmixToMono(decoded.channelData, frames, this.mono);
    const t1 = this.now();
    const out = this.resampler.push(mixed);
    const t2 = this.now();
    this.decodeMs += t1 - t0;
    this.resampleMs += t2 - t1;
    this.totalFrames += frames;
    this.onSamples(out);
  }

  /** Flushes the resampler and describes the stream; throws when nothing could be decoded. */
  finish(format: EncodedFormat): DecodeStreamResult {
    if (!this.resampler || this.totalFrames === 0) {
      throw new AnalysisError('corrupt-data', `no audio could be decoded from this ${format} file`);
    }
    const t3 = this.now();
    this.onSamples(this.resampler.flush());
    this.resampleMs += this.now() - t3;
    return {
      format,
      sourceSampleRateHz: this.sourceRate,
      channelCount: this.channelCount,
      durationSeconds: this.totalFrames / this.sourceRate,
      decodeMs: this.decodeMs,
      resampleMs: this.resampleMs,
    };
  }
}

/**
 * Decodes `bytes` chunk by chunk; `onSamples` receives mono Float32 at
 * {@link ANALYSIS_SAMPLE_RATE_HZ} (a view valid only during the call).
 */
export async function decodeToAnalysisRate(
  bytes: Uint8Array,
  onSamples: (monoAtAnalysisRate: Float32Array) => void,
  opts: DecodeStreamOptions = {},
): Promise<DecodeStreamResult> {
  const now = opts.now ?? (() => performance.now());
  const format = detectEncodedFormat(bytes, opts.formatHint);
  const stream = new AnalysisRateStream(onSamples, now);
  let t = now();
  const decoder = await createDecoder(format);
  await decoder.ready;
  stream.decodeMs += now() - t;
  try {
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      opts.signal?.throwIfAborted();
      const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES));
      t = now();
      const decoded = await decoder.decode(chunk);
      stream.decodeMs += now() - t;
      stream.consume(decoded);
      opts.onProgress?.(Math.min(1, (offset + chunk.length) / bytes.length));
    }
    if (decoder.flush) {
      t = now();
      const tail = await decoder.flush();
      stream.decodeMs += now() - t;
      stream.consume(tail);
    }
  } finally {
    decoder.free();
  }
  return stream.finish(format);
}
