/**
 * Hann window of `lengthSamples` points. `periodic` (the default, as in librosa/scipy
 * `get_window`) is the right choice for STFT analysis: shifted copies at hop N/2 or N/4 sum to
 * a constant. `periodic: false` gives the symmetric window used for FIR design.
 */
export function hannWindow(lengthSamples: number, periodic = true): Float32Array {
  const window = new Float32Array(lengthSamples);
  if (lengthSamples === 1) {
    window[0] = 1;
    return window;
  }
  const denominator = periodic ? lengthSamples : lengthSamples - 1;
  for (let n = 0; n < lengthSamples; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / denominator);
  return window;
}

/** Sum of squared window values; divide a power spectrum by it to get power per sample. */
export function windowPowerSum(window: ArrayLike<number>): number {
  let sum = 0;
  for (let n = 0; n < window.length; n++) sum += window[n] * window[n];
  return sum;
}
