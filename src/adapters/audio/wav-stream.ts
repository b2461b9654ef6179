import { AnalysisError } from '../../core/music/analysis-error.ts';

/**
 * A streaming RIFF/WAVE reader with the wasm decoders' interface: PCM 8-bit (unsigned),
 * 16/24/32-bit (signed) and IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE. Why by
 * hand: it is a header and a sample loop, and no wasm decoder ships for it. Bytes are fed in
 * chunks; a header longer than a chunk (big LIST/cover chunks) is buffered until complete.
 */
interface WavFormat {
  encoding: 'pcm' | 'float';
  channels: number;
  sampleRateHz: number;
  bitsPerSample: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** A header we cannot find in this many bytes is not a WAV we can read. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

/** Parses the header; returns null when more bytes are needed. */
function parseHeader(bytes: Uint8Array): { format: WavFormat; dataOffset: number; dataBytes: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) return null;
  if (fourCc(view, 0) !== 'RIFF' || fourCc(view, 8) !== 'WAVE') throw new AnalysisError('corrupt-data', 'not a RIFF/WAVE file');
  let offset = 12;
  let format: WavFormat | null = null;
  while (offset + 8 <= bytes.length) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      if (offset + 8 + Math.min(size, 40) > bytes.length) return null;
      let tag = view.getUint16(offset + 8, true);
      const channels = view.getUint16(offset + 10, true);
      const sampleRateHz = view.getUint32(offset + 12, true);
      const bitsPerSample = view.getUint16(offset + 22, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 40) tag = view.getUint16(offset + 32, true);
      let encoding: WavFormat['encoding'];
      if (tag === WAVE_FORMAT_PCM && [8, 16, 24, 32].includes(bitsPerSample)) encoding = 'pcm';
      else if (tag === WAVE_FORMAT_IEEE_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64)) encoding = 'float';
      else throw new AnalysisError('unsupported-format', `WAV encoding ${tag} at ${bitsPerSample} bits is not supported`);
      if (channels < 1 || channels > 32) throw new AnalysisError('corrupt-data', `WAV header claims ${channels} channels`);
      format = { encoding, channels, sampleRateHz, bitsPerSample };
    } else if (id === 'data') {
      if (!format) throw new AnalysisError('corrupt-data', 'WAV data chunk before its fmt chunk');
      const dataOffset = offset + 8;
      // 0 and 0xFFFFFFFF mark a stream whose length was never written: read to the end.
      const dataBytes = size === 0 || size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
      return { format, dataOffset, dataBytes };
    }
    offset += 8 + size + (size & 1);
  }
  if (bytes.length > MAX_HEADER_BYTES) throw new AnalysisError('corrupt-data', 'no WAV data chunk found');
  return null;
}

interface WavChunk {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
}

/** A decoder object shaped like the wasm decoders (`ready`, `decode`, `free`). */
export function createWavStreamDecoder(): {
  ready: Promise<void>;
  decode(chunk: Uint8Array): WavChunk;
  free(): void;
} {
  let header: ReturnType<typeof parseHeader> = null;
  let pending = new Uint8Array(0);
  let dataRemaining = 0;

  const append = (a: Uint8Array, b: Uint8Array): Uint8Array => {
    const joined = new Uint8Array(a.length + b.length);
    joined.set(a);
    joined.set(b, a.length);
    return joined;
  };

  const decode = (chunk: Uint8Array): WavChunk => {
    let bytes = pending.length ? append(pending, chunk) : chunk;
    pending = new Uint8Array(0);
    if (!header) {
      header = parseHeader(bytes);
      if (!header) {
        pending = bytes.slice();
        return { channelData: [], samplesDecoded: 0, sampleRate: 0 };
      }
      dataRemaining = header.dataBytes;
      bytes = bytes.subarray(header.dataOffset);
    }
    const { format } = header;
    const bytesPerSample = format.bitsPerSample / 8;
    const frameBytes = bytesPerSample * format.channels;
    const usable = Math.min(bytes.length, dataRemaining);
    const frames = Math.floor(usable / frameBytes);
    const consumed = frames * frameBytes;
    dataRemaining -= consumed;
    // Keep a split frame for the next chunk (only while inside the data chunk).
    if (usable > consumed) pending = bytes.slice(consumed, usable);
    const channels = Array.from({ length: format.channels }, () => new Float32Array(frames));
    const view = new DataView(bytes.buffer, bytes.byteOffset, consumed);
    const c = format.channels;
    let p = 0;
    for (let f = 0; f < frames; f++) {
      for (let ch = 0; ch < c; ch++, p += bytesPerSample) {
        let v: number;
        if (format.encoding === 'float') v = bytesPerSample === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
        else if (bytesPerSample === 2) v = view.getInt16(p, true) / 32768;
        else if (bytesPerSample === 1) v = (view.getUint8(p) - 128) / 128;
        else if (bytesPerSample === 3) v = ((view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608);
        else v = view.getInt32(p, true) / 2147483648;
        channels[ch][f] = v;
      }
    }
    return { channelData: channels, samplesDecoded: frames, sampleRate: format.sampleRateHz };
  };

  return { ready: Promise.resolve(), decode, free: () => undefined };
}
