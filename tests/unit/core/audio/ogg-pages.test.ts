import { describe, expect, it } from 'vitest';
import { OggPacketReader, findOggPage, parseOggPage } from '../../../../src/core/audio/ogg-pages.ts';

/** Ogg's CRC-32 (as the spec words it), written out here so the test does not trust the module's. */
function crc32(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

/** A page of stream 7 holding `body` laced as `lacing`. */
function page(sequence: number, lacing: number[], body: Uint8Array, opts: { continued?: boolean; granule?: number } = {}): Uint8Array {
  const out = new Uint8Array(27 + lacing.length + body.length);
  const view = new DataView(out.buffer);
  out.set([0x4f, 0x67, 0x67, 0x53, 0, opts.continued ? 1 : 0]);
  view.setBigInt64(6, BigInt(opts.granule ?? -1), true);
  view.setUint32(14, 7, true);
  view.setUint32(18, sequence, true);
  out[26] = lacing.length;
  out.set(lacing, 27);
  out.set(body, 27 + lacing.length);
  view.setUint32(22, crc32(out), true);
  return out;
}

const filled = (size: number, value: number): Uint8Array => new Uint8Array(size).fill(value);
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

// Packets A (100 bytes), B (600, split over two pages) and C (50).
const A = filled(100, 1);
const B = filled(600, 2);
const C = filled(50, 3);
const page0 = page(0, [100, 255, 255], cat(A, B.subarray(0, 510)));
const page1 = page(1, [90, 50], cat(B.subarray(510), C), { continued: true, granule: 4096 });

describe('Ogg pages', () => {
  it('parse with their CRC checked, and are found past bytes that are not a page', () => {
    expect(parseOggPage(page1, 0)).toMatchObject({ granulePosition: 4096, serial: 7, sequence: 1, continued: true, pageBytes: page1.length });
    const damaged = page1.slice();
    damaged[40] ^= 0xff;
    expect(parseOggPage(damaged, 0)).toBeNull();
    const stream = cat(new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 9, 9]), page0);
    expect(findOggPage(stream, 0)?.offset).toBe(7);
  });
});

describe('OggPacketReader', () => {
  const sizes = (packets: Uint8Array[]): Array<[number, number]> => packets.map((p) => [p.length, p[0]]);

  it('reassembles packets across pages, however the bytes are cut', () => {
    expect(sizes(new OggPacketReader(7).push(cat(page0, page1)))).toEqual([[100, 1], [600, 2], [50, 3]]);
    const reader = new OggPacketReader(7);
    const bytes = cat(page0, new Uint8Array([1, 2, 3]), page1);
    const got: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 7) got.push(...reader.push(bytes.subarray(at, at + 7)));
    expect(sizes(got)).toEqual([[100, 1], [600, 2], [50, 3]]);
    expect(got[1].every((b) => b === 2)).toBe(true);
  });

  it('drops the tail of a packet whose head it never saw, and pages of other streams', () => {
    expect(sizes(new OggPacketReader(7).push(page1))).toEqual([[50, 3]]);
    expect(new OggPacketReader(8).push(cat(page0, page1))).toEqual([]);
  });
});
