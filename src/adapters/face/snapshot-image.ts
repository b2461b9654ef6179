import { FaceAnalysisError } from '../../core/face/face-errors.ts';

/**
 * What `source` shows now, to move to the face worker. A camera frame becomes a VideoFrame where
 * WebCodecs exists: it wraps the frame the camera delivered, with no copy and no colour
 * conversion on the page (the worker converts it as it reads it); elsewhere an ImageBitmap copy.
 * A photo's bitmap is copied (the page keeps its own to draw; the copy shares its pixels until
 * either changes). The caller owns the result and must close it. Throws
 * `FaceAnalysisError('unusable-image')` when there is nothing to take (a video with no frame yet,
 * a closed bitmap).
 */
export async function snapshotImage(source: HTMLVideoElement | ImageBitmap): Promise<VideoFrame | ImageBitmap> {
  const isVideo = 'videoWidth' in source;
  try {
    if (isVideo && typeof VideoFrame !== 'undefined') return new VideoFrame(source);
    return await createImageBitmap(source);
  } catch (error) {
    const what = isVideo ? 'the camera frame could not be taken' : 'the photo could not be copied';
    throw new FaceAnalysisError('unusable-image', `${what} for the face worker: ${String(error)}`, { cause: error });
  }
}
