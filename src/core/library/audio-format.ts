/**
 * Recognises a file's container from its first bytes, so a PNG renamed to `.mp3` or an MP3 with
 * no extension is told apart before anything tries to decode it.
 */

/** Audio containers we recognise. `playable` says whether Chromium's decoder handles it. */
export type AudioFormatId =
  | 'mp3'
  | 'aac'
  | 'wav'
  | 'flac'
  | 'ogg-vorbis'
  | 'ogg-opus'
  | 'ogg-flac'
  | 'ogg'
  | 'm4a'
  | 'webm'
  | 'aiff'
  | 'wma'
  | 'ape'
  | 'wavpack'
  | 'amr'
  | 'midi';

/** Well-known non-audio types, named so the user is told what the file actually is. */
export type OtherFormatId =
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'pdf'
  | 'zip'
  | 'text'
  | 'video-mp4'
  | 'unknown';

export type SniffResult =
  | { kind: 'audio'; format: AudioFormatId; mimeType: string; playable: boolean }
  | { kind: 'other'; format: OtherFormatId }
  | { kind: 'empty' };

/** Bytes needed at the start of a file to sniff it (beyond a leading ID3v2 tag). */
export const SNIFF_HEADER_BYTES = 64;

/** Every {@link AudioFormatId}, for validating stored or imported values. */
export const AUDIO_FORMAT_IDS: readonly AudioFormatId[] = [
  'mp3', 'aac', 'wav', 'flac', 'ogg-vorbis', 'ogg-opus', 'ogg-flac', 'ogg', 'm4a', 'webm',
  'aiff', 'wma', 'ape', 'wavpack', 'amr', 'midi',
];

const AUDIO: Record<AudioFormatId, { mimeType: string; playable: boolean }> = {
  mp3: { mimeType: 'audio/mpeg', playable: true },
  aac: { mimeType: 'audio/aac', playable: true },
  wav: { mimeType: 'audio/wav', playable: true },
  flac: { mimeType: 'audio/flac', playable: true },
  'ogg-vorbis': { mimeType: 'audio/ogg', playable: true },
  'ogg-opus': { mimeType: 'audio/ogg; codecs=opus', playable: true },
  'ogg-flac': { mimeType: 'audio/ogg; codecs=flac', playable: true },
  ogg: { mimeType: 'audio/ogg', playable: true },
  m4a: { mimeType: 'audio/mp4', playable: true },
  webm: { mimeType: 'audio/webm', playable: true },
  aiff: { mimeType: 'audio/aiff', playable: false },
  wma: { mimeType: 'audio/x-ms-wma', playable: false },
  ape: { mimeType: 'audio/ape', playable: false },
  wavpack: { mimeType: 'audio/wavpack', playable: false },
  amr: { mimeType: 'audio/amr', playable: false },
  midi: { mimeType: 'audio/midi', playable: false },
};

function audio(format: AudioFormatId): SniffResult {
  return { kind: 'audio', format, ...AUDIO[format] };
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = offset; i < offset + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * Size in bytes of a leading ID3v2 tag (header included), or 0 when there is none.
 * ID3 tags can precede MP3, AAC and even FLAC streams, so sniffing must look past them.
 */
export function id3v2SizeBytes(bytes: Uint8Array): number {
  if (bytes.length < 10 || ascii(bytes, 0, 3) !== 'ID3') return 0;
  // Syncsafe integer: 7 bits per byte.
  const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
  const hasFooter = (bytes[5] & 0x10) !== 0;
  return 10 + size + (hasFooter ? 10 : 0);
}

function isMpegAudioFrame(bytes: Uint8Array, offset: number): 'mp3' | 'aac' | null {
  if (offset + 4 > bytes.length) return null;
  const b0 = bytes[offset];
  const b1 = bytes[offset + 1];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const layer = (b1 >> 1) & 0x03;
  const version = (b1 >> 3) & 0x03;
  if (layer === 0) {
    // ADTS (AAC) uses the same sync word with layer bits 00.
    return (b1 & 0xf6) === 0xf0 ? 'aac' : null;
  }
  if (version === 1) return null; // reserved
  const bitrateIndex = (bytes[offset + 2] >> 4) & 0x0f;
  const sampleRateIndex = (bytes[offset + 2] >> 2) & 0x03;
  if (bitrateIndex === 0x0f || sampleRateIndex === 0x03) return null;
  return 'mp3';
}

function looksLikeText(bytes: Uint8Array, offset: number): boolean {
  const end = Math.min(bytes.length, offset + SNIFF_HEADER_BYTES);
  if (end <= offset) return false;
  for (let i = offset; i < end; i++) {
    const b = bytes[i];
    const printable = b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f);
    if (!printable) return false;
  }
  return true;
}

/**
 * Identifies a file from its first bytes. Pass the first {@link SNIFF_HEADER_BYTES} bytes after
 * any ID3v2 tag, or simply the first few KiB of the file together with `id3SkipBytes` from
 * {@link id3v2SizeBytes} when the tag is large.
 *
 * @param head the file's first bytes (as many as are available)
 * @param afterId3 the bytes that follow a leading ID3v2 tag, if the tag is longer than `head`
 */
export function sniffAudioFormat(head: Uint8Array, afterId3?: Uint8Array): SniffResult {
  if (head.length === 0) return { kind: 'empty' };
  const id3 = id3v2SizeBytes(head);
  if (id3 > 0) {
    const rest = afterId3 ?? head.subarray(Math.min(id3, head.length));
    // Some encoders pad after the tag; skip zero bytes before the first frame.
    let i = 0;
    while (i < rest.length && i < 4096 && rest[i] === 0) i++;
    const inner = rest.subarray(i);
    if (ascii(inner, 0, 4) === 'fLaC') return audio('flac');
    const frame = isMpegAudioFrame(inner, 0);
    if (frame) return audio(frame);
    // An ID3 tag with something unrecognisable after it: most likely an MP3 with junk.
    return audio('mp3');
  }
  const b = head;
  const tag4 = ascii(b, 0, 4);
  if (tag4 === 'RIFF' && ascii(b, 8, 4) === 'WAVE') return audio('wav');
  if (tag4 === 'RF64' && ascii(b, 8, 4) === 'WAVE') return audio('wav');
  if (tag4 === 'fLaC') return audio('flac');
  if (tag4 === 'OggS') {
    const page = ascii(b, 0, Math.min(b.length, SNIFF_HEADER_BYTES));
    if (page.includes('OpusHead')) return audio('ogg-opus');
    if (page.includes('vorbis')) return audio('ogg-vorbis');
    if (page.includes('FLAC')) return audio('ogg-flac');
    return audio('ogg');
  }
  if (tag4 === 'FORM' && (ascii(b, 8, 4) === 'AIFF' || ascii(b, 8, 4) === 'AIFC')) return audio('aiff');
  if (tag4 === 'MThd') return audio('midi');
  if (tag4 === 'MAC ') return audio('ape');
  if (tag4 === 'wvpk') return audio('wavpack');
  if (ascii(b, 0, 5) === '#!AMR') return audio('amr');
  if (b.length >= 8 && b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75) return audio('wma');
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return audio('webm');
  if (ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand.startsWith('M4A') || brand.startsWith('M4B') || brand.startsWith('M4P') || brand === 'F4A ') return audio('m4a');
    // isom/mp42/dash can hold audio-only streams; the decoder decides.
    if (brand === 'isom' || brand === 'mp42' || brand === 'mp41' || brand === 'dash' || brand === 'iso2') return audio('m4a');
    return { kind: 'other', format: 'video-mp4' };
  }
  const frame = isMpegAudioFrame(b, 0);
  if (frame) return audio(frame);

  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return { kind: 'other', format: 'png' };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'other', format: 'jpeg' };
  if (ascii(b, 0, 4) === 'GIF8') return { kind: 'other', format: 'gif' };
  if (tag4 === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { kind: 'other', format: 'webp' };
  if (ascii(b, 0, 5) === '%PDF-') return { kind: 'other', format: 'pdf' };
  if (tag4 === 'PK\u0003\u0004') return { kind: 'other', format: 'zip' };
  const bomOffset = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  if (looksLikeText(b, bomOffset)) return { kind: 'other', format: 'text' };
  return { kind: 'other', format: 'unknown' };
}

/** File extensions offered in the file picker; sniffing, not the extension, decides. */
export const AUDIO_FILE_EXTENSIONS = [
  '.mp3', '.wav', '.ogg', '.oga', '.opus', '.flac', '.m4a', '.mp4', '.aac', '.webm', '.weba',
] as const;
