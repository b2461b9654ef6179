/**
 * Mixes channels to mono by averaging (so a full-scale mono file stays full scale, and a
 * stereo file's level matches what each ear hears on average). Writes into `out` when given
 * (length ≥ frames) to avoid an allocation per decoded chunk.
 */
export function downmixToMono(channels: readonly Float32Array[], frames?: number, out?: Float32Array): Float32Array {
  if (channels.length === 0) return out ? out.subarray(0, 0) : new Float32Array(0);
  const length = frames ?? channels[0].length;
  const mono = out ? out.subarray(0, length) : new Float32Array(length);
  if (channels.length === 1) {
    mono.set(channels[0].subarray(0, length));
    return mono;
  }
  if (channels.length === 2) {
    const left = channels[0];
    const right = channels[1];
    for (let i = 0; i < length; i++) mono[i] = 0.5 * (left[i] + right[i]);
    return mono;
  }
  mono.fill(0);
  const gain = 1 / channels.length;
  for (const channel of channels) for (let i = 0; i < length; i++) mono[i] += gain * channel[i];
  return mono;
}
