import type { VoiceProfileStats } from '../core/speech/voice-profile.ts';
import type { VoiceModelInfo, VoiceWorkerApi, VoiceWorkerReading } from './voice-worker.ts';
import { WorkerPool } from './worker-pool.ts';

export type { VoiceModelInfo, VoiceWorkerReading };

/**
 * The voice model as the page sees it: loaded and run in a worker, so the speech features and
 * the network never hold the page's thread.
 */
export interface VoiceReader extends VoiceModelInfo {
  /**
   * Reads a recording (one channel) or a decoded file (any number of channels, downmixed in the
   * worker). The channels' buffers are moved to the worker, not copied: the caller gives them
   * up, and gets the mono samples back in the reading. `assess`: check the recording's level,
   * length and clipping (microphone recordings). Rejects with the worker's SpeechInputError
   * (name and code kept) for silent or too-short audio.
   */
  read(channels: Float32Array[], sampleRateHz: number, options: { profile: VoiceProfileStats | null; assess: boolean; signal?: AbortSignal }): Promise<VoiceWorkerReading>;
}

/**
 * A model load plus kernel compilation sends no progress; a cold start on a slow phone can take
 * a while, and a reading of ten minutes of audio too. Long enough for both, short enough that a
 * wedged worker is replaced and the listener told.
 */
const VOICE_STALL_TIMEOUT_MS = 90_000;
/** The worker (and the model in it) stays while the listener is likely to speak again. */
const VOICE_IDLE_TIMEOUT_MS = 10 * 60_000;

/**
 * Starts the voice worker and loads the model at `modelUrl` in it (once; a worker ended after
 * idling reloads it on the next reading). Rejects when the model cannot be loaded.
 */
export async function createVoiceReader(modelUrl: string): Promise<VoiceReader> {
  const pool = new WorkerPool<VoiceWorkerApi>(
    () => new Worker(new URL('./voice-worker.ts', import.meta.url), { type: 'module', name: 'norae-voice' }),
    { size: 1, stallTimeoutMs: VOICE_STALL_TIMEOUT_MS, idleTimeoutMs: VOICE_IDLE_TIMEOUT_MS },
  );
  const info = await pool.run('prepare', { modelUrl });
  return {
    ...info,
    read: (channels, sampleRateHz, { profile, assess, signal }) =>
      pool.run(
        'read',
        { modelUrl, channels, sampleRateHz, profile, assess },
        { signal, transfer: [...new Set(channels.map((c) => c.buffer))] as ArrayBuffer[] },
      ),
  };
}
