/**
 * Streaming sample-rate converter for analysis: Kaiser-windowed-sinc FIR stages.
 *
 * Why not linear interpolation: decimating 44.1 kHz to 11.025 kHz without a low-pass folds
 * cymbals and hiss into the band we measure (centroid, flatness, onsets). Why not a library:
 * the maintained JS resamplers either need WebAudio (OfflineAudioContext, absent from Node and
 * from some workers) or are wasm builds of libsamplerate/speex with their own loaders; this is
 * short, has a documented response, and analysis needs no more.
 *
 * Response (defaults): flat passband (±0.01 dB) to 0.85 × the lower Nyquist; everything that
 * could alias into 0 … 0.85 × Nyquist attenuated by ≥ 60 dB (`stopbandAttenuationDb`);
 * −6 dB at Nyquist itself. Only the top 15 % of the output band (4.7–5.5 kHz at 11.025 kHz)
 * can carry attenuated aliases.
 *
 * Speed: a single FIR from 44.1 kHz would need ~98 taps per output sample. Instead, while the
 * rate is > 2.3 × the output rate a cheap half-band stage halves it (its wide transition only
 * has to protect the final band); an exact 2:1 last step is a narrow half-band (half its taps
 * are zero, and it is symmetric); any other ratio is a polyphase stage with exact phases for
 * rational ratios whose reduced numerator is ≤ 4096 (every common rate), else phases rounded
 * to 1/4096 sample. 44.1 kHz → 11.025 kHz costs ≈ 25 multiplies per output sample.
 */
export interface ResamplerOptions {
  inputRateHz: number;
  outputRateHz: number;
  /** Half-width of the final transition band as a fraction of the lower Nyquist (default 0.15). */
  transitionFraction?: number;
  /** Stop-band attenuation in dB (default 60). */
  stopbandAttenuationDb?: number;
}

const MAX_EXACT_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const half = x / 2;
  for (let k = 1; k < 60; k++) {
    term *= (half / k) * (half / k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/** Kaiser's β for a stop-band attenuation in dB. */
function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/** Kaiser's estimate of the FIR length for a transition of `transitionCyclesPerSample`. */
function kaiserLength(attenuationDb: number, transitionCyclesPerSample: number): number {
  return Math.ceil((attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionCyclesPerSample));
}

/** Windowed-sinc tap at distance `tau` samples, cutoff `cutoff` cycles/sample, half-width `halfWidth`. */
function kaiserSinc(tau: number, cutoff: number, halfWidth: number, beta: number, i0Beta: number): number {
  const x = 2 * cutoff * tau;
  const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  const r = tau / halfWidth;
  const window = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
  return 2 * cutoff * sinc * window;
}

/** One streaming stage. `push` returns a view valid until the next call. */
interface Stage {
  readonly tapCount: number;
  push(input: Float32Array): Float32Array;
  flush(): Float32Array;
}

/** Growable input buffer shared by the stages: `data[0]` is absolute input sample `start`. */
class InputBuffer {
  data = new Float32Array(8192);
  length = 0;
  start = 0;
  total = 0;

  append(input: Float32Array): void {
    const count = input.length;
    if (this.length + count > this.data.length) {
      const grown = new Float32Array(Math.max(2 * this.data.length, this.length + count));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(input, this.length);
    this.length += count;
  }

  /** Forgets samples before absolute index `keepFrom`. */
  discardBefore(keepFrom: number): void {
    const drop = keepFrom - this.start;
    if (drop <= 0) return;
    this.data.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.start = keepFrom;
  }

  /** Absolute index one past the last sample held. */
  get end(): number {
    return this.start + this.length;
  }
}

/**
 * Decimation by exactly 2 with a symmetric half-band FIR (cutoff at a quarter of the input
 * rate; every even tap but the centre is zero). `protectedHz`: the band [0, protectedHz] is
 * passed flat and nothing aliases into it; the transition runs to rate/2 − protectedHz.
 */
class HalfbandStage implements Stage {
  readonly tapCount: number;
  /** Odd-tap coefficients h[1], h[3], … (the centre is 0.5). */
  private readonly coefficients: Float32Array;
  private readonly reach: number;
  private readonly input = new InputBuffer();
  private nextCentre = 0;
  private out = new Float32Array(4096);

  constructor(inputRateHz: number, protectedHz: number, attenuationDb: number) {
    const transition = (inputRateHz / 2 - 2 * protectedHz) / inputRateHz;
    if (!(transition > 0)) throw new RangeError('half-band stage cannot protect that band');
    const length = Math.max(7, kaiserLength(attenuationDb, transition));
    // Reach must be odd so the outermost tap is a non-zero odd one.
    let reach = Math.ceil(length / 2);
    if (reach % 2 === 0) reach++;
    this.reach = reach;
    const beta = kaiserBeta(attenuationDb);
    const i0Beta = besselI0(beta);
    const halfWidth = reach + 1;
    const coefficients: number[] = [];
    let sum = 0.5;
    for (let j = 1; j <= reach; j += 2) {
      const h = kaiserSinc(j, 0.25, halfWidth, beta, i0Beta);
      coefficients.push(h);
      sum += 2 * h;
    }
    // Unit DC gain.
    this.coefficients = Float32Array.from(coefficients, (h) => h / sum);
    this.centre = 0.5 / sum;
    this.tapCount = coefficients.length + 1;
  }

  private readonly centre: number;

  push(input: Float32Array): Float32Array {
    this.input.append(input);
    return this.produce(this.input.end, Number.POSITIVE_INFINITY);
  }

  flush(): Float32Array {
    const total = this.input.end;
    this.input.append(new Float32Array(this.reach + 1));
    return this.produce(this.input.end, Math.ceil(total / 2) - this.nextCentre / 2);
  }

  private produce(available: number, limit: number): Float32Array {
    const reach = this.reach;
    const count = Math.max(0, Math.min(limit, Math.floor((available - reach - this.nextCentre + 1) / 2)));
    if (this.out.length < count) this.out = new Float32Array(Math.max(count, 2 * this.out.length));
    const out = this.out;
    const data = this.input.data;
    const start = this.input.start;
    const coefficients = this.coefficients;
    const pairs = coefficients.length;
    const centreGain = this.centre;
    let centre = this.nextCentre;
    let m = 0;
    // Before the stream starts the input is silence.
    for (; m < count && centre - start - reach < 0; m++, centre += 2) {
      const c = centre - start;
      let sum = centreGain * data[c];
      for (let p = 0, j = 1; p < pairs; p++, j += 2) sum += coefficients[p] * ((c - j >= 0 ? data[c - j] : 0) + data[c + j]);
      out[m] = sum;
    }
    // Four outputs a step, each coefficient read once for all four: 90 s of 44.1 kHz to
    // 11.025 kHz in 26 ms instead of 50 (Node 20), and bit for bit the same (each output's sum
    // is taken in the same order).
    for (; m + 3 < count; m += 4, centre += 8) {
      const c = centre - start;
      let sum0 = centreGain * data[c];
      let sum1 = centreGain * data[c + 2];
      let sum2 = centreGain * data[c + 4];
      let sum3 = centreGain * data[c + 6];
      for (let p = 0, lo = c - 1, hi = c + 1; p < pairs; p++, lo -= 2, hi += 2) {
        const h = coefficients[p];
        sum0 += h * (data[lo] + data[hi]);
        sum1 += h * (data[lo + 2] + data[hi + 2]);
        sum2 += h * (data[lo + 4] + data[hi + 4]);
        sum3 += h * (data[lo + 6] + data[hi + 6]);
      }
      out[m] = sum0;
      out[m + 1] = sum1;
      out[m + 2] = sum2;
      out[m + 3] = sum3;
    }
    for (; m < count; m++, centre += 2) {
      const c = centre - start;
      let sum = centreGain * data[c];
      for (let p = 0, lo = c - 1, hi = c + 1; p < pairs; p++, lo -= 2, hi += 2) sum += coefficients[p] * (data[lo] + data[hi]);
      out[m] = sum;
    }
    this.nextCentre = centre;
    this.input.discardBefore(Math.max(this.input.start, centre - reach));
    return out.subarray(0, count);
  }
}

/** General ratio: polyphase windowed sinc, `tapCount` multiplies per output sample. */
class PolyphaseStage implements Stage {
  private readonly phaseCount: number;
  private readonly phaseStep: number;
  /** A phase reads input[k − halfTaps + 1 … k + halfTaps] around output instant k + phase/phaseCount. */
  private readonly halfTaps: number;
  readonly tapCount: number;
  private readonly table: Float32Array;
  private readonly input = new InputBuffer();
  private nextIndex = 0;
  private nextPhase = 0;
  private totalOutput = 0;
  private out = new Float32Array(4096);

  constructor(inputRateHz: number, outputRateHz: number, transitionFraction: number, attenuationDb: number) {
    let phases: number;
    let step: number;
    if (Number.isInteger(inputRateHz) && Number.isInteger(outputRateHz) && outputRateHz / gcd(inputRateHz, outputRateHz) <= MAX_EXACT_PHASES) {
      const g = gcd(inputRateHz, outputRateHz);
      phases = outputRateHz / g;
      step = inputRateHz / g;
    } else {
      phases = MAX_EXACT_PHASES;
      step = Math.round((MAX_EXACT_PHASES * inputRateHz) / outputRateHz);
    }
    this.phaseCount = phases;
    this.phaseStep = step;
    // Cutoff in cycles per input sample: the lower of the two Nyquists.
    const cutoff = Math.min(inputRateHz, outputRateHz) / 2 / inputRateHz;
    const taps = Math.max(4, kaiserLength(attenuationDb, 2 * cutoff * transitionFraction));
    this.halfTaps = Math.ceil(taps / 2);
    this.tapCount = 2 * this.halfTaps;
    const beta = kaiserBeta(attenuationDb);
    const i0Beta = besselI0(beta);
    this.table = new Float32Array(phases * this.tapCount);
    for (let p = 0; p < phases; p++) {
      const frac = p / phases;
      let sum = 0;
      for (let j = 0; j < this.tapCount; j++) {
        const h = kaiserSinc(frac + this.halfTaps - 1 - j, cutoff, this.halfTaps, beta, i0Beta);
        this.table[p * this.tapCount + j] = h;
        sum += h;
      }
      // Unit DC gain for every phase (no level ripple between output samples).
      if (sum !== 0) for (let j = 0; j < this.tapCount; j++) this.table[p * this.tapCount + j] /= sum;
    }
  }

  push(input: Float32Array): Float32Array {
    this.input.append(input);
    return this.produce(Number.POSITIVE_INFINITY);
  }

  flush(): Float32Array {
    const wanted = Math.ceil((this.input.end * this.phaseCount) / this.phaseStep);
    this.input.append(new Float32Array(this.halfTaps + 1));
    return this.produce(wanted - this.totalOutput);
  }

  private produce(limit: number): Float32Array {
    const half = this.halfTaps;
    const taps = this.tapCount;
    const table = this.table;
    const data = this.input.data;
    const start = this.input.start;
    const available = this.input.end;
    const phases = this.phaseCount;
    const step = this.phaseStep;
    const estimate = Math.ceil(((available - this.nextIndex) * phases) / step) + 2;
    const capacity = Math.max(0, Math.min(estimate, limit));
    if (this.out.length < capacity) this.out = new Float32Array(Math.max(capacity, 2 * this.out.length));
    const out = this.out;
    let index = this.nextIndex;
    let phase = this.nextPhase;
    let produced = 0;
    while (index + half < available && produced < limit) {
      const tableBase = phase * taps;
      let first = index - half + 1 - start;
      let j0 = 0;
      if (first < 0) {
        // Input before the stream start is silence.
        j0 = -first;
        first = 0;
      }
      let sum = 0;
      let j = j0;
      let b = first;
      // Four taps a step, added in the same order (the same result, bit for bit).
      for (; j + 4 <= taps; j += 4, b += 4) {
        sum += table[tableBase + j] * data[b];
        sum += table[tableBase + j + 1] * data[b + 1];
        sum += table[tableBase + j + 2] * data[b + 2];
        sum += table[tableBase + j + 3] * data[b + 3];
      }
      for (; j < taps; j++, b++) sum += table[tableBase + j] * data[b];
      out[produced++] = sum;
      phase += step;
      if (phase >= phases) {
        index += Math.floor(phase / phases);
        phase %= phases;
      }
    }
    this.nextIndex = index;
    this.nextPhase = phase;
    this.totalOutput += produced;
    this.input.discardBefore(Math.max(start, index - half + 1));
    return out.subarray(0, produced);
  }
}

/**
 * Streaming resampler: `push` chunks of any size, then `flush` once. Output sample n is the
 * band-limited signal at input time n · inputRate / outputRate (zero delay), and the total
 * output length is ceil(inputLength · outputRate / inputRate).
 */
export class StreamingResampler {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
  private readonly stages: Stage[] = [];

  constructor(opts: ResamplerOptions) {
    const { inputRateHz, outputRateHz } = opts;
    if (!(inputRateHz > 0 && outputRateHz > 0) || !Number.isFinite(inputRateHz) || !Number.isFinite(outputRateHz)) {
      throw new RangeError(`invalid sample rates ${inputRateHz} → ${outputRateHz}`);
    }
    this.inputRateHz = inputRateHz;
    this.outputRateHz = outputRateHz;
    const transition = opts.transitionFraction ?? 0.15;
    const attenuationDb = opts.stopbandAttenuationDb ?? 60;
    const protectedHz = (outputRateHz / 2) * (1 + transition);
    let rate = inputRateHz;
    // Cheap wide half-bands while there is room: they only guard 0 … protectedHz.
    while (rate > 2.3 * outputRateHz && rate / 2 - 2 * protectedHz > 0) {
      this.stages.push(new HalfbandStage(rate, protectedHz, attenuationDb));
      rate /= 2;
    }
    if (rate === 2 * outputRateHz) {
      this.stages.push(new HalfbandStage(rate, (outputRateHz / 2) * (1 - transition), attenuationDb));
    } else if (rate !== outputRateHz) {
      this.stages.push(new PolyphaseStage(rate, outputRateHz, transition, attenuationDb));
    }
  }

  /** Multiplies per output sample, summed over stages (a cost estimate). */
  get tapCount(): number {
    return this.stages.reduce((sum, stage) => sum + stage.tapCount, 0);
  }

  /**
   * Feeds input samples; returns the output samples now computable: a view of an internal
   * buffer (or of `input` when the rates match), valid until the next `push`/`flush`.
   */
  push(input: Float32Array): Float32Array {
    let data = input;
    for (const stage of this.stages) data = stage.push(data);
    return data;
  }

  /** Ends the stream (pads with silence) and returns the remaining output samples. */
  flush(): Float32Array {
    let data = new Float32Array(0);
    for (const stage of this.stages) {
      const pushed = stage.push(data);
      const tail = stage.flush();
      // The tail view may alias `pushed`'s buffer: copy both before the next stage.
      const joined = new Float32Array(pushed.length + tail.length);
      joined.set(pushed);
      joined.set(tail, pushed.length);
      data = joined;
    }
    return data;
  }
}

/** One-shot convenience: resamples a whole buffer (tests, short clips). */
export function resample(input: Float32Array, inputRateHz: number, outputRateHz: number): Float32Array {
  const resampler = new StreamingResampler({ inputRateHz, outputRateHz });
  const head = resampler.push(input).slice();
  const tail = resampler.flush();
  const result = new Float32Array(head.length + tail.length);
  result.set(head);
  result.set(tail, head.length);
  return result;
}
