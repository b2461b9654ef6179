import { mediaErrorReason } from '../media/media-errors.ts';

/** Why the camera could not be used; each gets its own message in the UI. */
export type CameraErrorCode = 'denied' | 'no-camera' | 'busy' | 'insecure' | 'unsupported' | 'failed';

export class CameraError extends Error {
  readonly code: CameraErrorCode;
  constructor(code: CameraErrorCode, cause?: unknown) {
    super(`Camera unavailable: ${code}`, { cause });
    this.name = 'CameraError';
    this.code = code;
  }
}

/** A running camera: its video element plays the stream; `stop` turns the camera light off. */
export interface CameraSession {
  readonly video: HTMLVideoElement;
  stop(): void;
  /** Resolves when the camera goes away by itself (unplugged, revoked, taken by another app). */
  readonly ended: Promise<void>;
}

function classify(error: unknown): CameraError {
  const reason = mediaErrorReason(error);
  return new CameraError(reason === 'missing' ? 'no-camera' : reason, error);
}

/**
 * Opens the user-facing camera at a modest resolution (faces need few pixels; fewer pixels mean
 * more frames a second) and plays it into a muted, inline video element.
 */
export async function openCamera(video: HTMLVideoElement): Promise<CameraSession> {
  if (!window.isSecureContext) throw new CameraError('insecure');
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraError('unsupported');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
      audio: false,
    });
  } catch (error) {
    throw classify(error);
  }
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.pause();
    video.srcObject = null;
  };
  const ended = new Promise<void>((resolve) => {
    for (const track of stream.getTracks()) {
      track.addEventListener('ended', () => {
        stop();
        resolve();
      });
    }
  });
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    await video.play();
  } catch (error) {
    stop();
    throw classify(error);
  }
  return { video, stop, ended };
}
