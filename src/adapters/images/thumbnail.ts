/** Edge of list thumbnails in CSS pixels × 2 for high-density screens. */
export const THUMBNAIL_EDGE_PX = 128;

/**
 * Scales a cover picture down to a small square WebP for the song list, so scrolling 10,000
 * songs never decodes full-size JPEGs. Runs in workers (OffscreenCanvas). Returns null when the
 * picture cannot be decoded; the caller then keeps only the original.
 */
export async function makeThumbnail(picture: Blob, edgePx = THUMBNAIL_EDGE_PX): Promise<Blob | null> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas === 'undefined') return null;
  let bitmap: ImageBitmap | null = null;
  try {
    bitmap = await createImageBitmap(picture);
    const side = Math.min(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(edgePx, edgePx);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.imageSmoothingQuality = 'high';
    // Centre-crop to a square so every thumbnail fills its slot.
    ctx.drawImage(
      bitmap,
      (bitmap.width - side) / 2,
      (bitmap.height - side) / 2,
      side,
      side,
      0,
      0,
      edgePx,
      edgePx,
    );
    return await canvas.convertToBlob({ type: 'image/webp', quality: 0.85 });
  } catch {
    return null;
  } finally {
    bitmap?.close();
  }
}
