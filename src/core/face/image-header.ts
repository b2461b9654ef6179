/**
 * Reads an image file's pixel size and EXIF orientation from its first bytes, without decoding
 * it — so a 50-megapixel photo can be decoded straight to a bounded size (the browser's
 * `createImageBitmap` resize) instead of first into ~200 MB of RGBA.
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

export interface ImageHeader {
  format: ImageFormat;
  /** Stored size, before EXIF orientation. */
  widthPx: number;
  heightPx: number;
  /** EXIF orientation 1–8 (1 = as stored; 5–8 swap width and height). */
  orientation: number;
}

/** How many leading bytes {@link readImageHeader} needs at most (EXIF and the JPEG frame header sit early). */
export const IMAGE_HEADER_BYTES = 512 * 1024;

function u16be(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
}
function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + ((b[o + 3] << 24) >>> 0);
}

/** Orientation tag (0x0112) from an EXIF block starting at `start` ("Exif\0\0" then TIFF). */
function exifOrientation(b: Uint8Array, start: number, end: number): number {
  if (end - start < 14 || b[start] !== 0x45 || b[start + 1] !== 0x78 || b[start + 2] !== 0x69 || b[start + 3] !== 0x66) return 1;
  const tiff = start + 6;
  const little = b[tiff] === 0x49 && b[tiff + 1] === 0x49;
  if (!little && !(b[tiff] === 0x4d && b[tiff + 1] === 0x4d)) return 1;
  const r16 = (o: number) => (little ? u16le(b, o) : u16be(b, o));
  const r32 = (o: number) => (little ? u32le(b, o) : u32be(b, o));
  const ifd = tiff + r32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const count = r16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) break;
    if (r16(entry) === 0x0112) {
      const value = r16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

function readJpeg(b: Uint8Array): ImageHeader | null {
  let orientation = 1;
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return null;
    const marker = b[o + 1];
    if (marker === 0xff) {
      o += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      o += 2;
      continue;
    }
    const length = u16be(b, o + 2);
    if (length < 2) return null;
    if (marker === 0xe1) orientation = exifOrientation(b, o + 4, Math.min(b.length, o + 2 + length)) || orientation;
    // Start-of-frame markers (baseline, progressive, lossless, arithmetic), not DHT/JPG/DAC.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (o + 9 > b.length) return null;
      return { format: 'jpeg', heightPx: u16be(b, o + 5), widthPx: u16be(b, o + 7), orientation };
    }
    if (marker === 0xda) return null; // scan data before any frame header: malformed
    o += 2 + length;
  }
  return null;
}

/**
 * Format, stored size and EXIF orientation of an image from its leading bytes (at least the
 * first {@link IMAGE_HEADER_BYTES} for large JPEG headers), or null when the bytes are not a
 * JPEG, PNG, WebP, GIF or BMP this can read (e.g. HEIC, or a truncated header).
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return readJpeg(b);
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52) {
    return { format: 'png', widthPx: u32be(b, 16), heightPx: u32be(b, 20), orientation: 1 };
  }
  if (b.length >= 30 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) {
    const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
    if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
      return { format: 'webp', widthPx: u16le(b, 26) & 0x3fff, heightPx: u16le(b, 28) & 0x3fff, orientation: 1 };
    }
    if (chunk === 'VP8L' && b[20] === 0x2f) {
      const bits = u32le(b, 21);
      return { format: 'webp', widthPx: (bits & 0x3fff) + 1, heightPx: ((bits >> 14) & 0x3fff) + 1, orientation: 1 };
    }
    if (chunk === 'VP8X') {
      const w = (b[24] | (b[25] << 8) | (b[26] << 16)) + 1;
      const h = (b[27] | (b[28] << 8) | (b[29] << 16)) + 1;
      return { format: 'webp', widthPx: w, heightPx: h, orientation: 1 };
    }
    return null;
  }
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) {
    return { format: 'gif', widthPx: u16le(b, 6), heightPx: u16le(b, 8), orientation: 1 };
  }
  if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) {
    const w = u32le(b, 18) | 0;
    const h = u32le(b, 22) | 0;
    return { format: 'bmp', widthPx: Math.abs(w), heightPx: Math.abs(h), orientation: 1 };
  }
  return null;
}

/** The displayed size once EXIF orientation is applied (5–8 rotate by 90°, swapping the sides). */
export function orientedSize(header: ImageHeader): { widthPx: number; heightPx: number } {
  return header.orientation >= 5 ? { widthPx: header.heightPx, heightPx: header.widthPx } : { widthPx: header.widthPx, heightPx: header.heightPx };
}

/**
 * The size to decode an image at so its longest displayed side is at most `maxEdgePx`, given
 * its header: `{ widthPx, heightPx }` of the upright (EXIF-oriented) result, never upscaled.
 */
export function boundedDecodeSize(header: ImageHeader, maxEdgePx: number): { widthPx: number; heightPx: number; downscaled: boolean } {
  const upright = orientedSize(header);
  const edge = Math.max(upright.widthPx, upright.heightPx);
  if (edge <= maxEdgePx) return { ...upright, downscaled: false };
  const factor = maxEdgePx / edge;
  return { widthPx: Math.max(1, Math.round(upright.widthPx * factor)), heightPx: Math.max(1, Math.round(upright.heightPx * factor)), downscaled: true };
}
