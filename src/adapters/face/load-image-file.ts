import { FaceAnalysisError } from '../../core/face/face-errors.ts';
import { IMAGE_HEADER_BYTES, boundedDecodeSize, readImageHeader } from '../../core/face/image-header.ts';

/** Photos are decoded to at most this longest side by default (the analysis works at ≤ 1600 px). */
export const DEFAULT_PHOTO_MAX_EDGE_PX = 1600;

export interface LoadImageFileOptions {
  /** Longest side of the decoded bitmap, px (default 1600). */
  maxEdgePx?: number;
  /** For tests: the platform's `createImageBitmap`. */
  createBitmap?: (image: ImageBitmapSource, options: ImageBitmapOptions) => Promise<ImageBitmap>;
}

/**
 * Decodes a photo File/Blob (JPEG, PNG, WebP, GIF, BMP, AVIF, or HEIC where the browser can)
 * into an upright ImageBitmap no larger than `maxEdgePx` on its longest side. EXIF
 * orientation is applied by the browser (`imageOrientation: 'from-image'`). The size comes
 * from the file's header, so a 50-megapixel JPEG is decoded straight to the bounded size
 * (`resizeWidth`/`resizeHeight`) instead of into ~200 MB of full-size RGBA first; a format whose
 * header we cannot read (HEIC, AVIF) is decoded whole once, then scaled down and released.
 * Throws `FaceAnalysisError('unusable-image')` when the browser cannot decode the file.
 * The caller owns the bitmap (call `close()` when done).
 */
export async function loadImageFile(file: Blob, options: LoadImageFileOptions = {}): Promise<ImageBitmap> {
  const maxEdgePx = options.maxEdgePx ?? DEFAULT_PHOTO_MAX_EDGE_PX;
  const create = options.createBitmap ?? ((image, bitmapOptions) => createImageBitmap(image, bitmapOptions));
  try {
    const head = new Uint8Array(await file.slice(0, IMAGE_HEADER_BYTES).arrayBuffer());
    const header = readImageHeader(head);
    if (header && header.widthPx > 0 && header.heightPx > 0) {
      const target = boundedDecodeSize(header, maxEdgePx);
      // resizeWidth/resizeHeight are the size of the upright output (the HTML spec orients
      // before it resizes), hence the oriented target size.
      return await create(file, target.downscaled ? { imageOrientation: 'from-image', resizeWidth: target.widthPx, resizeHeight: target.heightPx, resizeQuality: 'high' } : { imageOrientation: 'from-image' });
    }
    const full = await create(file, { imageOrientation: 'from-image' });
    const edge = Math.max(full.width, full.height);
    if (edge <= maxEdgePx) return full;
    try {
      const factor = maxEdgePx / edge;
      return await create(full, { resizeWidth: Math.max(1, Math.round(full.width * factor)), resizeHeight: Math.max(1, Math.round(full.height * factor)), resizeQuality: 'high' });
    } finally {
      full.close();
    }
  } catch (error) {
    throw new FaceAnalysisError('unusable-image', `this file could not be opened as a picture: ${String(error)}`, { cause: error });
  }
}
