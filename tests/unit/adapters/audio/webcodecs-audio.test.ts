import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeWithWebCodecs, type EncodedFrame } from '../../../../src/adapters/audio/webcodecs-audio.ts';

/**
 * The WebCodecs frame feeder against a stand-in `AudioDecoder` (Node has no WebCodecs; the real
 * one runs in the e2e imports): each frame "decodes" on a later tick into 1,152 samples per
 * channel holding its own timestamp, so order, batching, the bounded queue and cancelling can be
 * checked exactly.
 */
const FRAME_SAMPLES = 1152;

class StandInAudioData {
  readonly numberOfChannels = 2;
  readonly sampleRate = 44_100;
  readonly numberOfFrames = FRAME_SAMPLES;
  constructor(private readonly value: number) {}
  copyTo(destination: Float32Array): void {
    destination.fill(this.value);
  }
  close(): void {}
}

let decoders: StandInDecoder[] = [];

class StandInDecoder extends EventTarget {
  state: 'unconfigured' | 'configured' | 'closed' = 'unconfigured';
  decodeQueueSize = 0;
  largestQueue = 0;
  decoded = 0;
  constructor(private readonly init: { output: (data: StandInAudioData) => void; error: (e: unknown) => void }) {
    super();
    decoders.push(this);
  }
  configure(): void {
    this.state = 'configured';
  }
  decode(chunk: { timestamp: number }): void {
    this.decodeQueueSize++;
    this.largestQueue = Math.max(this.largestQueue, this.decodeQueueSize);
    setTimeout(() => {
      if (this.state === 'closed') return;
      this.decodeQueueSize--;
      this.decoded++;
      this.dispatchEvent(new Event('dequeue'));
      this.init.output(new StandInAudioData(chunk.timestamp));
    }, 0);
  }
  flush(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 5));
  }
  close(): void {
    this.state = 'closed';
  }
}

class StandInChunk {
  readonly timestamp: number;
  constructor(init: { timestamp: number }) {
    this.timestamp = init.timestamp;
  }
}

function* frames(count: number): Generator<EncodedFrame> {
  for (let i = 0; i < count; i++) yield { data: new Uint8Array(4), timestampMicros: i };
}

beforeEach(() => {
  decoders = [];
  vi.stubGlobal('AudioDecoder', StandInDecoder);
  vi.stubGlobal('EncodedAudioChunk', StandInChunk);
});
afterEach(() => vi.unstubAllGlobals());

const config = { codec: 'mp3', sampleRate: 44_100, numberOfChannels: 2 };

describe('decodeWithWebCodecs', () => {
  it('hands every frame on, in order, in ≈ 0.8-s batches, with at most 65 frames queued', async () => {
    const firsts: number[] = [];
    let samples = 0;
    await decodeWithWebCodecs(config, frames(1000), (chunk) => {
      expect(chunk.channelData).toHaveLength(2);
      firsts.push(chunk.channelData[0][0]);
      // Within a batch, frame after frame: the last sample is the last frame's timestamp.
      expect(chunk.channelData[1][chunk.samplesDecoded - 1]).toBe(firsts.at(-1)! + chunk.samplesDecoded / FRAME_SAMPLES - 1);
      samples += chunk.samplesDecoded;
    });
    expect(samples).toBe(1000 * FRAME_SAMPLES);
    // 32 frames (36,864 samples) a batch: 31 full ones and the rest.
    expect(firsts).toEqual(Array.from({ length: 32 }, (_, i) => i * 32));
    expect(decoders[0].largestQueue).toBeLessThanOrEqual(65);
    expect(decoders[0].state).toBe('closed');
  });

  it('stops within a burst when its signal is aborted: AbortError, decoder closed, nothing more handed on', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const run = decodeWithWebCodecs(
      config,
      frames(100_000),
      () => {
        chunks++;
        if (chunks === 2) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toBe(2);
    expect(decoders[0].state).toBe('closed');
    expect(decoders[0].decoded).toBeLessThan(200);
  });
});
