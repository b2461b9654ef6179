import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeWithWebCodecs, type EncodedFrame } from '../../../../src/adapters/audio/webcodecs-audio.ts';

/**
 * The WebCodecs frame feeder against a stand-in `AudioDecoder` (Node has no WebCodecs; the real
 * one runs in the e2e imports): each frame "decodes" on a later tick into 1,152 samples per
 * channel holding its own timestamp (the right channel that plus 0.5), so order, batching, the
 * mix to mono, the bounded queue and cancelling can be checked exactly.
 */
const FRAME_SAMPLES = 1152;

class StandInAudioData {
  readonly sampleRate = 44_100;
  readonly numberOfFrames = FRAME_SAMPLES;
  constructor(
    private readonly value: number,
    readonly numberOfChannels = 2,
  ) {}
  /** Channel c holds value + 0.5·c; 'f32' is interleaved (all channels, planeIndex 0), as WebCodecs defines it. */
  copyTo(destination: Float32Array, options: { planeIndex: number; format: string }): void {
    if (options.format === 'f32') {
      expect(destination.length).toBe(FRAME_SAMPLES * this.numberOfChannels);
      for (let i = 0; i < destination.length; i++) destination[i] = this.value + 0.5 * (i % this.numberOfChannels);
    } else {
      expect(destination.length).toBe(FRAME_SAMPLES);
      destination.fill(this.value + 0.5 * options.planeIndex);
    }
  }
  close(): void {}
}

let decoders: StandInDecoder[] = [];
let channelsPerFrame = 2;

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
      this.init.output(new StandInAudioData(chunk.timestamp, channelsPerFrame));
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
  channelsPerFrame = 2;
  vi.stubGlobal('AudioDecoder', StandInDecoder);
  vi.stubGlobal('EncodedAudioChunk', StandInChunk);
});
afterEach(() => vi.unstubAllGlobals());

const config = { codec: 'mp3', sampleRate: 44_100, numberOfChannels: 2 };

describe('decodeWithWebCodecs', () => {
  it('hands every frame on, in order, mixed to mono, in ≈ 0.8-s batches, with at most 65 frames queued', async () => {
    const firsts: number[] = [];
    let samples = 0;
    await decodeWithWebCodecs(config, frames(1000), (chunk) => {
      expect(chunk.channelData).toHaveLength(1);
      // Left t, right t + 0.5: their mean.
      firsts.push(chunk.channelData[0][0] - 0.25);
      // Within a batch, frame after frame: the last sample is the last frame's timestamp.
      expect(chunk.channelData[0][chunk.samplesDecoded - 1]).toBe(firsts.at(-1)! + chunk.samplesDecoded / FRAME_SAMPLES - 1 + 0.25);
      samples += chunk.samplesDecoded;
    });
    expect(samples).toBe(1000 * FRAME_SAMPLES);
    // 32 frames (36,864 samples) a batch: 31 full ones and the rest.
    expect(firsts).toEqual(Array.from({ length: 32 }, (_, i) => i * 32));
    expect(decoders[0].largestQueue).toBeLessThanOrEqual(65);
    expect(decoders[0].state).toBe('closed');
  });

  it.each([
    [1, 7],
    [6, 7 + (0.5 * (0 + 1 + 2 + 3 + 4 + 5)) / 6],
  ])('mixes %i channel(s) to their mean', async (channels, expected) => {
    channelsPerFrame = channels;
    const chunks: number[][] = [];
    await decodeWithWebCodecs({ ...config, numberOfChannels: channels }, frames(8), (chunk) => chunks.push([...chunk.channelData[0].subarray(7 * FRAME_SAMPLES, 7 * FRAME_SAMPLES + 2)]));
    expect(chunks).toHaveLength(1);
    expect(chunks[0][0]).toBeCloseTo(expected, 6);
    expect(chunks[0][1]).toBeCloseTo(expected, 6);
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
