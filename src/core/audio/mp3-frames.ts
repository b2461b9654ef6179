/**
 * MPEG audio (MP3, and layers I/II) frame headers and seeking, so that only the parts of a file
 * that are analysed need to be read and decoded: where the audio starts, how long it plays (the
 * Xing/Info or VBRI header's frame count, else the constant bit rate), and which byte a given
 * second starts at (the Xing table of contents for VBR files, else proportional). Pure parsing;
 * the decoding itself is the wasm decoder's.
 */

/** One parsed frame header. */
export interface Mp3FrameHeader {
  /** 1 (MPEG-1), 2 (MPEG-2) or 2.5 (MPEG-2.5). */
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  bitrateKbps: number;
  sampleRateHz: number;
  channelCount: 1 | 2;
  samplesPerFrame: number;
  frameBytes: number;
}

const BITRATES_KBPS: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES_HZ: Record<string, readonly number[]> = {
  '1': [44_100, 48_000, 32_000],
  '2': [22_050, 24_000, 16_000],
  '2.5': [11_025, 12_000, 8_000],
};

/**
 * Parses the 4-byte frame header at `offset`; null when it is not a valid one (no sync, reserved
 * or free-format bit rate, reserved sample rate).
 */
export function parseMp3FrameHeader(bytes: Uint8Array, offset: number): Mp3FrameHeader | null {
  if (offset < 0 || offset + 4 > bytes.length) return null;
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const table = version === 1 ? `1-${layer}` : layer === 1 ? '2-1' : '2-2';
  const bitrateKbps = BITRATES_KBPS[table][bitrateIndex];
  const sampleRateHz = SAMPLE_RATES_HZ[String(version)][rateIndex];
  const padding = (b2 >> 1) & 1;
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || version === 1 ? 1152 : 576;
  const frameBytes =
    layer === 1
      ? (Math.floor((12_000 * bitrateKbps) / sampleRateHz) + padding) * 4
      : Math.floor(((samplesPerFrame / 8) * 1000 * bitrateKbps) / sampleRateHz) + padding;
  const channelCount = bytes[offset + 3] >> 6 === 3 ? 1 : 2;
  return { version, layer, bitrateKbps, sampleRateHz, channelCount, samplesPerFrame, frameBytes };
}

/** Two headers of one stream: same version, layer and sample rate. */
function sameStream(a: Mp3FrameHeader, b: Mp3FrameHeader): boolean {
  return a.version === b.version && a.layer === b.layer && a.sampleRateHz === b.sampleRateHz;
}

/**
 * The first offset ≥ `from` where a frame starts and the next `confirmFrames` frames follow it
 * back to back (a lone 0xFFE sync pattern inside audio data is common; a chain of them is not).
 * A chain cut by the end of `bytes` counts as confirmed. −1 when there is none.
 */
export function findMp3FrameStart(bytes: Uint8Array, from: number, confirmFrames = 2): number {
  for (let i = Math.max(0, from); i + 4 <= bytes.length; i++) {
    if (bytes[i] !== 0xff) continue;
    const first = parseMp3FrameHeader(bytes, i);
    if (!first) continue;
    let at = i + first.frameBytes;
    let ok = true;
    for (let k = 0; k < confirmFrames && at + 4 <= bytes.length; k++) {
      const next = parseMp3FrameHeader(bytes, at);
      if (!next || !sameStream(first, next)) {
        ok = false;
        break;
      }
      at += next.frameBytes;
    }
    if (ok) return i;
  }
  return -1;
}

/** Size of the ID3v2 tag at `offset` (header, body and footer), 0 when there is none. */
export function id3v2Bytes(bytes: Uint8Array, offset = 0): number {
  if (offset + 10 > bytes.length || bytes[offset] !== 0x49 || bytes[offset + 1] !== 0x44 || bytes[offset + 2] !== 0x33) return 0;
  const size = ((bytes[offset + 6] & 0x7f) << 21) | ((bytes[offset + 7] & 0x7f) << 14) | ((bytes[offset + 8] & 0x7f) << 7) | (bytes[offset + 9] & 0x7f);
  const footer = bytes[offset + 5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/** Where the audio of an MP3 file lies and how to seek in it. */
export interface Mp3Layout {
  /** Byte offset of the first frame (the Xing/Info frame when there is one). */
  audioStartByte: number;
  /** Byte offset just past the audio (before an ID3v1 tag). */
  audioEndByte: number;
  first: Mp3FrameHeader;
  /** Playing length, s. */
  durationSeconds: number;
  /** Where the duration came from. */
  source: 'xing' | 'vbri' | 'bitrate';
  /** Xing table of contents of a VBR file: 100 entries, byte position × 256 / stream bytes at each percent (null for CBR). */
  toc: Uint8Array | null;
  /** Bytes the TOC's fractions refer to (from the first frame on). */
  tocBytes: number;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) >>> 0) + (bytes[offset + 1] << 16) + (bytes[offset + 2] << 8) + bytes[offset + 3];
}

function tagAt(bytes: Uint8Array, offset: number, tag: string): boolean {
  for (let i = 0; i < tag.length; i++) if (bytes[offset + i] !== tag.charCodeAt(i)) return false;
  return true;
}

/** Xing/Info (LAME) or VBRI (Fraunhofer) header inside the first frame, when present. */
function readVbrHeader(bytes: Uint8Array, start: number, first: Mp3FrameHeader): { frames: number; bytes: number; toc: Uint8Array | null; source: 'xing' | 'vbri' } | null {
  const sideInfo = first.version === 1 ? (first.channelCount === 1 ? 17 : 32) : first.channelCount === 1 ? 9 : 17;
  const xing = start + 4 + sideInfo;
  const isInfo = tagAt(bytes, xing, 'Info');
  if (tagAt(bytes, xing, 'Xing') || isInfo) {
    const flags = readUint32(bytes, xing + 4);
    let at = xing + 8;
    const frames = flags & 1 ? readUint32(bytes, at) : 0;
    if (flags & 1) at += 4;
    const streamBytes = flags & 2 ? readUint32(bytes, at) : 0;
    if (flags & 2) at += 4;
    // LAME writes "Info" for constant bit rate: there bytes are proportional to time, exactly,
    // while the TOC's entries are rounded to 1/256 of the file (14 s of an hour-long file).
    const toc = !isInfo && flags & 4 && at + 100 <= bytes.length ? bytes.slice(at, at + 100) : null;
    return frames > 0 ? { frames, bytes: streamBytes, toc, source: 'xing' } : null;
  }
  const vbri = start + 4 + 32;
  if (tagAt(bytes, vbri, 'VBRI')) {
    const frames = readUint32(bytes, vbri + 14);
    return frames > 0 ? { frames, bytes: readUint32(bytes, vbri + 10), toc: null, source: 'vbri' } : null;
  }
  return null;
}

/**
 * Reads the layout of an MP3 file from its head (the first bytes: enough for the ID3v2 tag and
 * the first frames, see {@link mp3HeadBytesNeeded}) and its size. `hasId3v1` says whether the
 * last 128 bytes are an ID3v1 tag. Null when no frame chain is found in `head`. A file shorter
 * than its Xing header says (cut off) gets the duration of what is there.
 */
export function readMp3Layout(head: Uint8Array, fileBytes: number, hasId3v1: boolean): Mp3Layout | null {
  const start = findMp3FrameStart(head, id3v2Bytes(head));
  if (start < 0) return null;
  const first = parseMp3FrameHeader(head, start);
  if (!first) return null;
  const audioEndByte = Math.max(start, fileBytes - (hasId3v1 ? 128 : 0));
  const available = audioEndByte - start;
  const frameSeconds = first.samplesPerFrame / first.sampleRateHz;
  const vbr = readVbrHeader(head, start, first);
  if (vbr) {
    const declared = vbr.bytes > 0 ? vbr.bytes : available;
    // A cut-off file: what is there plays, proportionally.
    const share = declared > available ? available / declared : 1;
    return {
      audioStartByte: start,
      audioEndByte,
      first,
      durationSeconds: vbr.frames * frameSeconds * share,
      source: vbr.source,
      toc: vbr.toc,
      tocBytes: declared,
    };
  }
  return {
    audioStartByte: start,
    audioEndByte,
    first,
    durationSeconds: (available * 8) / (first.bitrateKbps * 1000),
    source: 'bitrate',
    toc: null,
    tocBytes: available,
  };
}

/** Bytes of the file's head that {@link readMp3Layout} needs: the ID3v2 tag (covers can be large) and 16 KB. */
export function mp3HeadBytesNeeded(first10Bytes: Uint8Array): number {
  return id3v2Bytes(first10Bytes) + 16 * 1024;
}

/**
 * The byte offset (approximate: not yet at a frame boundary, see {@link findMp3FrameStart})
 * where second `seconds` of the audio lies: by the Xing table of contents when there is one
 * (its entries are rounded to 1/256 of the stream: see {@link mp3SeekErrorBytes}), else
 * proportionally to the bytes (exact for CBR).
 */
export function mp3ByteOffsetAt(layout: Mp3Layout, seconds: number): number {
  const fraction = Math.min(1, Math.max(0, seconds / layout.durationSeconds));
  let position: number;
  if (layout.toc) {
    const percent = fraction * 100;
    const index = Math.min(99, Math.floor(percent));
    const low = layout.toc[index];
    const high = index < 99 ? layout.toc[index + 1] : 256;
    position = ((low + (high - low) * (percent - index)) / 256) * layout.tocBytes;
  } else {
    position = fraction * layout.tocBytes;
  }
  return Math.min(layout.audioEndByte, layout.audioStartByte + Math.floor(position));
}

/** How far {@link mp3ByteOffsetAt} may be from the true position, bytes: a TOC entry's rounding. */
export function mp3SeekErrorBytes(layout: Mp3Layout): number {
  return layout.toc ? Math.ceil(layout.tocBytes / 256) : 0;
}
