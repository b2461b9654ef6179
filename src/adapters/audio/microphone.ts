import { AutoStopDetector, rmsDb } from '../../core/recording/voice-activity.ts';
import { mediaErrorReason } from '../media/media-errors.ts';
import workletUrl from './recorder-worklet.ts?worker&url';

/** Why the microphone could not be used; each gets its own message in the UI. */
export type MicrophoneErrorCode = 'denied' | 'no-microphone' | 'busy' | 'insecure' | 'unsupported' | 'failed';

export class MicrophoneError extends Error {
  readonly code: MicrophoneErrorCode;
  constructor(code: MicrophoneErrorCode, cause?: unknown) {
    super(`Microphone unavailable: ${code}`, { cause });
    this.name = 'MicrophoneError';
    this.code = code;
  }
}

export interface RecordingOptions {
  /** Called ~50 times a second with the current level (dBFS). */
  onLevel?: (levelDb: number) => void;
  /** Stop by itself this long after the speaker stops (seconds); 0 disables. */
  stopAfterSilenceSeconds?: number;
  /** Hard limit on the recording's length (seconds). */
  maxSeconds?: number;
  /**
   * Called when the recording stopped by itself: the speaker stopped, the time limit, or the
   * microphone went away (unplugged, taken by another app, permission revoked).
   */
  onAutoStop?: (reason: 'silence' | 'max-length' | 'device-ended') => void;
}

export interface FinishedRecording {
  samples: Float32Array;
  sampleRateHz: number;
  durationSeconds: number;
}

/** A recording in progress: stop it to get the samples; the microphone is released either way. */
export interface Recording {
  stop(): Promise<FinishedRecording>;
  cancel(): void;
  readonly sampleRateHz: number;
}

function classify(error: unknown): MicrophoneError {
  const reason = mediaErrorReason(error);
  return new MicrophoneError(reason === 'missing' ? 'no-microphone' : reason, error);
}

/** The default microphone's stream, raw (see {@link startRecording}); throws {@link MicrophoneError}. */
async function openMicrophone(): Promise<MediaStream> {
  if (!window.isSecureContext) throw new MicrophoneError('insecure');
  if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
    throw new MicrophoneError('unsupported');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false, autoGainControl: false },
    });
  } catch (error) {
    throw classify(error);
  }
}

/** The stream wired into the recorder worklet; `release` stops the tracks and closes the context. */
interface RecorderGraph {
  context: AudioContext;
  source: MediaStreamAudioSourceNode;
  node: AudioWorkletNode;
  release: () => void;
}

async function connectRecorder(stream: MediaStream): Promise<RecorderGraph> {
  const context = new AudioContext();
  const release = (): void => {
    for (const track of stream.getTracks()) track.stop();
    void context.close().catch((error: unknown) => console.warn('Norae: the recording audio context did not close', error));
  };
  try {
    await context.audioWorklet.addModule(workletUrl);
  } catch (error) {
    release();
    throw new MicrophoneError('failed', error);
  }
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'norae-recorder', { numberOfInputs: 1, numberOfOutputs: 0 });
  source.connect(node);
  return { context, source, node, release };
}

/** The blocks of a recording, joined into one buffer. */
function joinChunks(chunks: readonly Float32Array[], totalSamples: number): Float32Array {
  const samples = new Float32Array(totalSamples);
  let offset = 0;
  for (const c of chunks) {
    samples.set(c, offset);
    offset += c.length;
  }
  return samples;
}

/**
 * Starts recording from the default microphone. Raw speech is what the voice model was trained
 * on, so the browser's noise suppression and gain control are turned off; echo cancellation stays
 * (music may be playing). Samples never leave the page.
 */
export async function startRecording(options: RecordingOptions = {}): Promise<Recording> {
  const stream = await openMicrophone();
  const { context, source, node, release } = await connectRecorder(stream);
  const sampleRateHz = context.sampleRate;
  const maxSamples = Math.round((options.maxSeconds ?? 30) * sampleRateHz);
  const chunks: Float32Array[] = [];
  let total = 0;
  let finished = false;
  const detector = new AutoStopDetector({ trailingSilenceSeconds: options.stopAfterSilenceSeconds || 1.5 });
  let resolveStop: ((r: FinishedRecording) => void) | null = null;
  const done = new Promise<FinishedRecording>((resolve) => (resolveStop = resolve));

  const finish = (): void => {
    if (finished) return;
    finished = true;
    node.port.onmessage = null;
    source.disconnect();
    release();
    resolveStop?.({ samples: joinChunks(chunks, total), sampleRateHz, durationSeconds: total / sampleRateHz });
  };

  node.port.onmessage = (event: MessageEvent<Float32Array>) => {
    const block = event.data;
    chunks.push(block);
    total += block.length;
    const level = rmsDb(block);
    options.onLevel?.(level);
    if (total >= maxSamples) {
      finish();
      options.onAutoStop?.('max-length');
    } else if (options.stopAfterSilenceSeconds && detector.push(level, block.length / sampleRateHz)) {
      finish();
      options.onAutoStop?.('silence');
    }
  };
  // A microphone unplugged mid-recording ends the track: keep what was recorded, and say so.
  const deviceEnded = (): void => {
    if (finished) return;
    finish();
    options.onAutoStop?.('device-ended');
  };
  for (const track of stream.getTracks()) track.addEventListener('ended', deviceEnded, { once: true });

  return {
    sampleRateHz,
    stop: () => {
      finish();
      return done;
    },
    cancel: () => {
      finished = true;
      node.port.onmessage = null;
      release();
    },
  };
}
