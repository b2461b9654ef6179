import { FaceAnalysisError } from '../../core/face/face-errors.ts';

/**
 * A bitmap of what `source` shows now, to move to the face worker: the camera's current frame
 * (the browser copies it, far cheaper than reading it on the page), or a copy of a photo's
 * bitmap (the page keeps its own to draw). The caller owns the result. Throws
 * `FaceAnalysisError('unusable-image')` when there is nothing to copy (a video with no frame yet,
 * a closed bitmap).
 */
export async function snapshotBitmap(source: HTMLVideoElement | ImageBitmap): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(source);
  } catch (error) {
    const what = 'videoWidth' in source ? 'the camera frame could not be read' : 'the photo could not be copied';
    throw new FaceAnalysisError('unusable-image', `${what} for the face worker: ${String(error)}`, { cause: error });
  }
}
