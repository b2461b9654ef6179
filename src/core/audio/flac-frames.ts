/**
 * FLAC stream headers and frame headers, so that only the parts of a FLAC file that are
 * analysed need to be read and decoded: how long it plays and how it is blocked (STREAMINFO),
 * where its audio starts (after the metadata blocks, cover art included), and which sample a
 * frame found at some byte starts at (its header's frame or sample number). Pure parsing
 * (RFC 9639); the decoding itself is the wasm decoder's.
 */

/** What STREAMINFO says about the stream. */
export interface FlacStreamInfo {
  /** Samples per channel in a block; equal for a fixed-blocksize stream (the last block aside). */
  minBlockSize: number;
  maxBlockSize: number;
  /** The largest frame, bytes (0: unknown). */
  maxFrameBytes: number;
  sampleRateHz: number;
  channelCount: number;
  bitsPerSample: number;
  /** Samples per channel in the stream (0: unknown). */
  totalSamples: number;
}

/** A metadata block's 4-byte header. */
export interface FlacBlockHeader {
  isLast: boolean;
  /** 0 STREAMINFO, 1 PADDING, 3 SEEKTABLE, 4 VORBIS_COMMENT, 6 PICTURE… */
  type: number;
  /** Bytes of the block's data after this header. */
  length: number;
}

/** One frame header found in the data. */
export interface FlacFrameHeader {
  /** The stream's sample at which this frame starts (per channel). */
  firstSample: number;
  /** Samples per channel in this frame. */
  blockSize: number;
  /** Bytes of the header itself, CRC-8 included. */
  headerBytes: number;
  /** The number the header carries: a frame number (fixed blocking) or a sample number (variable). */
  number: number;
  variableBlockSize: boolean;
}

/** Whether the bytes start with the FLAC stream marker "fLaC". */
export function isFlacStream(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x66 && bytes[1] === 0x4c && bytes[2] === 0x61 && bytes[3] === 0x43;
}

/** The metadata block header at `offset`; null when the bytes end first. */
export function parseFlacBlockHeader(bytes: Uint8Array, offset: number): FlacBlockHeader | null {
  if (offset < 0 || offset + 4 > bytes.length) return null;
  return { isLast: (bytes[offset] & 0x80) !== 0, type: bytes[offset] & 0x7f, length: (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3] };
}

/**
 * STREAMINFO from a file's first 42 bytes ("fLaC", the block header, its 34 bytes); null when
 * they are not a FLAC stream's or say something impossible (no sample rate, block sizes < 16).
 */
export function parseFlacStreamInfo(bytes: Uint8Array): FlacStreamInfo | null {
  if (!isFlacStream(bytes) || bytes.length < 42) return null;
  const block = parseFlacBlockHeader(bytes, 4);
  if (!block || block.type !== 0 || block.length < 34) return null;
  const b = bytes.subarray(8, 42);
  const minBlockSize = (b[0] << 8) | b[1];
  const maxBlockSize = (b[2] << 8) | b[3];
  const maxFrameBytes = (b[7] << 16) | (b[8] << 8) | b[9];
  const sampleRateHz = (b[10] << 12) | (b[11] << 4) | (b[12] >> 4);
  const channelCount = ((b[12] >> 1) & 7) + 1;
  const bitsPerSample = (((b[12] & 1) << 4) | (b[13] >> 4)) + 1;
  const totalSamples = (b[13] & 0x0f) * 2 ** 32 + (((b[14] << 24) | (b[15] << 16) | (b[16] << 8) | b[17]) >>> 0);
  if (sampleRateHz === 0 || minBlockSize < 16 || maxBlockSize < minBlockSize) return null;
  return { minBlockSize, maxBlockSize, maxFrameBytes, sampleRateHz, channelCount, bitsPerSample, totalSamples };
}

/** CRC-8, polynomial x⁸ + x² + x + 1, as FLAC frame headers carry it. */
function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i];
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** The UTF-8-style coded number at `offset` (up to 36 bits in 7 bytes); null when malformed. */
function codedNumber(bytes: Uint8Array, offset: number): { value: number; bytes: number } | null {
  const first = bytes[offset];
  let extra: number;
  let value: number;
  if (first < 0x80) return { value: first, bytes: 1 };
  if (first >= 0xc0 && first < 0xe0) [extra, value] = [1, first & 0x1f];
  else if (first >= 0xe0 && first < 0xf0) [extra, value] = [2, first & 0x0f];
  else if (first >= 0xf0 && first < 0xf8) [extra, value] = [3, first & 0x07];
  else if (first >= 0xf8 && first < 0xfc) [extra, value] = [4, first & 0x03];
  else if (first >= 0xfc && first < 0xfe) [extra, value] = [5, first & 0x01];
  else if (first === 0xfe) [extra, value] = [6, 0];
  else return null;
  if (offset + extra >= bytes.length) return null;
  for (let i = 1; i <= extra; i++) {
    const next = bytes[offset + i];
    if ((next & 0xc0) !== 0x80) return null;
    value = value * 64 + (next & 0x3f);
  }
  return { value, bytes: 1 + extra };
}

/** Sample rates of the 4-bit code (0: STREAMINFO's; 12–14: coded at the header's end). */
const RATE_CODES_HZ = [0, 88_200, 176_400, 192_000, 8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 96_000];

/**
 * The frame header at `offset` when one is there and belongs to `stream`: sync code, no reserved
 * values, the stream's sample rate and bit depth where the header states them, a CRC-8 that
 * matches and a first sample inside the stream. Null otherwise.
 */
export function parseFlacFrameHeader(bytes: Uint8Array, offset: number, stream: FlacStreamInfo): FlacFrameHeader | null {
  if (offset < 0 || offset + 6 > bytes.length) return null;
  if (bytes[offset] !== 0xff || (bytes[offset + 1] & 0xfe) !== 0xf8) return null;
  const variableBlockSize = (bytes[offset + 1] & 1) === 1;
  const blockCode = bytes[offset + 2] >> 4;
  const rateCode = bytes[offset + 2] & 0x0f;
  const channelCode = bytes[offset + 3] >> 4;
  const depthCode = (bytes[offset + 3] >> 1) & 7;
  if (blockCode === 0 || rateCode === 15 || channelCode > 10 || depthCode === 3 || (bytes[offset + 3] & 1) !== 0) return null;
  if (rateCode >= 1 && rateCode <= 11 && RATE_CODES_HZ[rateCode] !== stream.sampleRateHz) return null;
  const depths = [0, 8, 12, 0, 16, 20, 24, 32];
  if (depthCode !== 0 && depths[depthCode] !== stream.bitsPerSample) return null;
  const coded = codedNumber(bytes, offset + 4);
  if (!coded) return null;
  let at = offset + 4 + coded.bytes;
  let blockSize: number;
  if (blockCode === 6 || blockCode === 7) {
    const size = blockCode === 6 ? 1 : 2;
    if (at + size > bytes.length) return null;
    blockSize = (size === 1 ? bytes[at] : (bytes[at] << 8) | bytes[at + 1]) + 1;
    at += size;
  } else {
    blockSize = blockCode === 1 ? 192 : blockCode <= 5 ? 576 << (blockCode - 2) : 256 << (blockCode - 8);
  }
  if (rateCode >= 12) at += rateCode === 12 ? 1 : 2;
  if (at >= bytes.length || crc8(bytes, offset, at) !== bytes[at]) return null;
  const firstSample = variableBlockSize ? coded.value : coded.value * stream.maxBlockSize;
  if (stream.totalSamples > 0 && firstSample >= stream.totalSamples) return null;
  return { firstSample, blockSize, headerBytes: at + 1 - offset, number: coded.value, variableBlockSize };
}

/**
 * The first frame at or after `from` whose header is confirmed by the next frame's (the number
 * that follows it, within the stream's largest frame size): a lone sync pattern with a lucky
 * CRC-8 inside the audio data is not taken for a frame. Null when none is confirmed in `bytes`.
 */
export function findFlacFrame(bytes: Uint8Array, from: number, stream: FlacStreamInfo): { offset: number; header: FlacFrameHeader } | null {
  const reach = stream.maxFrameBytes > 0 ? stream.maxFrameBytes + 16 : 1 << 20;
  for (let offset = Math.max(0, from); offset + 6 <= bytes.length; offset++) {
    if (bytes[offset] !== 0xff) continue;
    const header = parseFlacFrameHeader(bytes, offset, stream);
    if (!header) continue;
    const expected = header.variableBlockSize ? header.firstSample + header.blockSize : header.number + 1;
    const last = Math.min(bytes.length - 6, offset + reach);
    for (let next = offset + header.headerBytes; next <= last; next++) {
      if (bytes[next] !== 0xff) continue;
      const following = parseFlacFrameHeader(bytes, next, stream);
      if (following && following.number === expected) return { offset, header };
    }
  }
  return null;
}
