/**
 * Ogg pages (RFC 3533): what seeking in an Ogg Vorbis or Opus file needs — each page's granule
 * position (the codec's sample clock at the end of the last packet finished on the page), its
 * stream, its size, and a CRC check so that "OggS" met inside compressed audio is not taken
 * for a page.
 */

import { concatBytes } from '../typed-arrays.ts';

/** One page's header, as found in a byte buffer. */
export interface OggPage {
  /** Where the page starts in the buffer it was found in, bytes. */
  offset: number;
  /** Header plus body, bytes. */
  pageBytes: number;
  /** The codec's sample position at the end of the page's last finished packet; -1: none ends here. */
  granulePosition: number;
  serial: number;
  sequence: number;
  /** The page begins with the rest of a packet from the page before. */
  continued: boolean;
  /** First page of its stream. */
  beginsStream: boolean;
  /** Last page of its stream. */
  endsStream: boolean;
}

/** The fixed part of a page header, before its segment table. */
export const OGG_HEADER_BYTES = 27;
/** The largest page there can be (header, 255 lacing values, 255 × 255 bytes of body). */
export const OGG_MAX_PAGE_BYTES = OGG_HEADER_BYTES + 255 + 255 * 255;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04C11DB7, unreflected, no final xor) over a page, its CRC field read as zero. */
function pageCrc(bytes: Uint8Array, offset: number, pageBytes: number): number {
  let crc = 0;
  for (let i = 0; i < pageBytes; i++) {
    const byte = i >= 22 && i < 26 ? 0 : bytes[offset + i];
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
  }
  return crc;
}

/**
 * The page starting at `offset`, or null when there is none (no capture pattern, another
 * version, the page runs past the buffer, or — unless `checkCrc` is false, for a page where the
 * one before it ended — its CRC does not match).
 */
export function parseOggPage(bytes: Uint8Array, offset: number, checkCrc = true): OggPage | null {
  if (offset < 0 || offset + OGG_HEADER_BYTES > bytes.length) return null;
  if (bytes[offset] !== 0x4f || bytes[offset + 1] !== 0x67 || bytes[offset + 2] !== 0x67 || bytes[offset + 3] !== 0x53 || bytes[offset + 4] !== 0) return null;
  const segments = bytes[offset + 26];
  if (offset + OGG_HEADER_BYTES + segments > bytes.length) return null;
  let bodyBytes = 0;
  for (let i = 0; i < segments; i++) bodyBytes += bytes[offset + OGG_HEADER_BYTES + i];
  const pageBytes = OGG_HEADER_BYTES + segments + bodyBytes;
  if (offset + pageBytes > bytes.length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, OGG_HEADER_BYTES);
  if (checkCrc && view.getUint32(22, true) !== pageCrc(bytes, offset, pageBytes)) return null;
  const flags = bytes[offset + 5];
  return {
    offset,
    pageBytes,
    granulePosition: Number(view.getBigInt64(6, true)),
    serial: view.getUint32(14, true),
    sequence: view.getUint32(18, true),
    continued: (flags & 1) !== 0,
    beginsStream: (flags & 2) !== 0,
    endsStream: (flags & 4) !== 0,
  };
}

/** The first whole page at or after `from` in `bytes` (of stream `serial` when given), or null. */
export function findOggPage(bytes: Uint8Array, from: number, serial?: number): OggPage | null {
  for (let i = Math.max(0, from); i + OGG_HEADER_BYTES <= bytes.length; i++) {
    if (bytes[i] !== 0x4f || bytes[i + 1] !== 0x67 || bytes[i + 2] !== 0x67 || bytes[i + 3] !== 0x53) continue;
    const page = parseOggPage(bytes, i);
    if (page && (serial === undefined || page.serial === serial)) return page;
  }
  return null;
}

/** Every whole page of stream `serial` in `bytes` from `from` on, walked page by page once one is found. */
export function oggPagesIn(bytes: Uint8Array, from: number, serial: number): OggPage[] {
  const pages: OggPage[] = [];
  let page = findOggPage(bytes, from, serial);
  while (page) {
    pages.push(page);
    const next = page.offset + page.pageBytes;
    page = parseOggPage(bytes, next) ?? findOggPage(bytes, next, serial);
    if (page && page.serial !== serial) page = findOggPage(bytes, page.offset + 1, serial);
  }
  return pages;
}

/**
 * Reassembles one stream's packets from its pages, fed in pieces of any size (as a file is
 * read range by range). A packet whose head was never seen (the stream entered mid-packet) or
 * whose tail is lost is dropped; bytes that are not a page are skipped.
 */
export class OggPacketReader {
  private pending = new Uint8Array(0);
  private partial: Uint8Array[] = [];
  /** The pending bytes start where a checked page ended. */
  private inStep = false;

  constructor(private readonly serial: number) {}

  /** The packets completed by `bytes` (the next bytes of the file), in order: views into `bytes` where a packet lies whole in it. */
  push(bytes: Uint8Array): Uint8Array[] {
    const buffer = this.pending.length ? concatBytes([this.pending, bytes]) : bytes;
    const packets: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      // Where the last page ended the next one begins: its CRC is checked only when searched for
      // (summing every byte was a tenth of an Ogg import's worker time).
      const page = parseOggPage(buffer, offset, !this.inStep) ?? findOggPage(buffer, offset + 1);
      this.inStep = page !== null;
      if (!page) break;
      offset = page.offset + page.pageBytes;
      if (page.serial === this.serial) this.takePage(buffer, page, packets);
    }
    // What may begin a page not yet whole (never more than the largest page).
    this.pending = buffer.slice(Math.max(offset, buffer.length - OGG_MAX_PAGE_BYTES));
    return packets;
  }

  private takePage(buffer: Uint8Array, page: OggPage, packets: Uint8Array[]): void {
    const segments = buffer[page.offset + 26];
    if (!page.continued) this.partial = [];
    let dropping = page.continued && this.partial.length === 0;
    let start = page.offset + OGG_HEADER_BYTES + segments;
    let at = start;
    for (let i = 0; i < segments; i++) {
      const lacing = buffer[page.offset + OGG_HEADER_BYTES + i];
      at += lacing;
      if (lacing === 255) continue;
      const piece = buffer.subarray(start, at);
      // A view, not a copy: an ArrayBuffer per packet (thousands a song) is slow to allocate in a
      // Chromium worker, and the decoder copies what it is given anyway.
      if (!dropping) packets.push(this.partial.length ? concatBytes([...this.partial, piece]) : piece);
      dropping = false;
      this.partial = [];
      start = at;
    }
    if (start < at && !dropping) this.partial.push(buffer.slice(start, at));
  }
}
