/**
 * AudioWorklet processor that hands the page blocks of microphone samples (first channel),
 * ~20 ms at a time, so the page can meter, detect the end of speech and keep the recording.
 * Runs on the audio rendering thread: no allocation per render quantum beyond the block copy.
 */

// The AudioWorkletGlobalScope is not in TypeScript's DOM lib; declare the little we use.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;
declare const sampleRate: number;

class RecorderProcessor extends AudioWorkletProcessor {
  #block = new Float32Array(Math.round(sampleRate * 0.02));
  #filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    let offset = 0;
    while (offset < channel.length) {
      const n = Math.min(channel.length - offset, this.#block.length - this.#filled);
      this.#block.set(channel.subarray(offset, offset + n), this.#filled);
      this.#filled += n;
      offset += n;
      if (this.#filled === this.#block.length) {
        const out = this.#block.slice();
        this.port.postMessage(out, [out.buffer]);
        this.#filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('norae-recorder', RecorderProcessor);
