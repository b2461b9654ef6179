/**
 * Tempo from an onset-strength envelope: windowed autocorrelation (≈ 8.9 s windows, like
 * librosa's tempogram), averaged over the song, then a period choice with octave handling.
 *
 * Why our own: the npm tempo detectors either need WebAudio (web-audio-beat-detector,
 * realtime-bpm-analyzer use OfflineAudioContext, which Node and some workers lack) or are
 * much slower (essentia.js's RhythmExtractor runs at ~11–74× real time here); this costs a few
 * ms per song on an envelope we already have.
 *
 * Octave handling: the autocorrelation of a pulse train peaks at the beat period and at every
 * multiple, so "which multiple" is decided by (1) a broad log-normal preference around 120 BPM
 * (Moelants & McKinney: most perceived tempi lie near 100–130 BPM), and (2) a check of the
 * half period: when the pulse at twice the tempo is nearly as strong as the chosen one, the
 * faster pulse is real (e.g. a 200 BPM click track, whose 100 BPM multiple fits equally).
 */
export interface TempoEstimate {
  /** Beats per minute; 0 when no periodicity was found (silence, too short). */
  bpm: number;
  /** Normalised autocorrelation at the chosen period, in [0, 1]: how clear the pulse is. */
  confidence: number;
}

export interface TempoOptions {
  minBpm?: number;
  maxBpm?: number;
  /** Autocorrelation window in frames (default ≈ 8.9 s of frames). */
  windowFrames?: number;
  /** Centre of the tempo preference in BPM (default 120). */
  preferredBpm?: number;
  /** Width of the preference in octaves (standard deviation; default 1.4). */
  preferenceOctaves?: number;
  /** Double the tempo when the half-period peak reaches this fraction of the chosen peak (default 0.8). */
  doublingRatio?: number;
}

/** Average of Hann-windowed, per-window-normalised autocorrelations of the envelope, lags 0 … maxLag. */
export function averagedAutocorrelation(envelope: Float32Array, maxLagFrames: number, windowFrames: number): Float64Array {
  const acf = new Float64Array(maxLagFrames + 1);
  const window = Math.min(windowFrames, envelope.length);
  if (window < 4) return acf;
  const hop = Math.max(1, Math.floor(window / 2));
  const segment = new Float64Array(window);
  const local = new Float64Array(maxLagFrames + 1);
  let used = 0;
  for (let start = 0; start + window <= envelope.length; start += hop) {
    let mean = 0;
    for (let i = 0; i < window; i++) mean += envelope[start + i];
    mean /= window;
    for (let i = 0; i < window; i++) {
      const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / window);
      segment[i] = (envelope[start + i] - mean) * hann;
    }
    for (let lag = 0; lag <= maxLagFrames; lag++) {
      let sum = 0;
      for (let i = 0; i + lag < window; i++) sum += segment[i] * segment[i + lag];
      // Unbiased: undo the shrinking overlap so multiples of the period are not penalised by length alone.
      local[lag] = lag < window ? sum / (window - lag) : 0;
    }
    if (local[0] <= 1e-12) continue;
    for (let lag = 0; lag <= maxLagFrames; lag++) acf[lag] += local[lag] / local[0];
    used++;
  }
  if (used > 0) for (let lag = 0; lag <= maxLagFrames; lag++) acf[lag] /= used;
  return acf;
}

/** Value at a fractional lag by linear interpolation. */
function at(acf: Float64Array, lag: number): number {
  const i = Math.floor(lag);
  if (i < 0 || i + 1 >= acf.length) return i === acf.length - 1 ? acf[i] : 0;
  const f = lag - i;
  return acf[i] * (1 - f) + acf[i + 1] * f;
}

/**
 * Height of the peak nearest a fractional lag: the sum of the three bins around it. A period
 * that falls between two frames splits its peak over two bins, so a single bin would favour
 * periods that happen to be whole frames (e.g. the double period of a 140 BPM track).
 */
function peakMass(acf: Float64Array, lag: number): number {
  const i = Math.round(lag);
  let sum = 0;
  for (let j = i - 1; j <= i + 1; j++) if (j >= 1 && j < acf.length) sum += Math.max(0, acf[j]);
  return sum;
}

/** Parabolic refinement of a peak at integer lag `i`. */
function refinePeak(acf: Float64Array, i: number): number {
  if (i <= 0 || i + 1 >= acf.length) return i;
  const a = acf[i - 1];
  const b = acf[i];
  const c = acf[i + 1];
  const denominator = a - 2 * b + c;
  if (denominator >= 0) return i;
  const offset = (0.5 * (a - c)) / denominator;
  return Math.abs(offset) <= 1 ? i + offset : i;
}

/** Estimates the tempo of an onset envelope sampled at `frameRateHz` frames per second. */
export function estimateTempo(envelope: Float32Array, frameRateHz: number, opts: TempoOptions = {}): TempoEstimate {
  const minBpm = opts.minBpm ?? 40;
  const maxBpm = opts.maxBpm ?? 220;
  const preferred = opts.preferredBpm ?? 120;
  const sigma = opts.preferenceOctaves ?? 1.4;
  const doublingRatio = opts.doublingRatio ?? 0.8;
  const windowFrames = opts.windowFrames ?? Math.round(8.9 * frameRateHz);
  const minLag = Math.max(1, Math.floor((60 * frameRateHz) / maxBpm));
  const maxLag = Math.ceil((60 * frameRateHz) / minBpm);
  // Windows must hold at least two periods of the slowest tempo to see it.
  if (envelope.length < 2 * minLag + 2) return { bpm: 0, confidence: 0 };
  const acf = averagedAutocorrelation(envelope, Math.min(2 * maxLag + 2, envelope.length - 1), windowFrames);

  // Local maxima of the autocorrelation inside the tempo range, scored with the preference.
  let bestLag = -1;
  let bestScore = 0;
  const lastLag = Math.min(maxLag, acf.length - 2);
  for (let lag = minLag; lag <= lastLag; lag++) {
    const v = acf[lag];
    if (!(v > 0 && v >= acf[lag - 1] && v >= acf[lag + 1])) continue;
    const refined = refinePeak(acf, lag);
    const bpm = (60 * frameRateHz) / refined;
    const octaves = Math.log2(bpm / preferred);
    // Support from the period's own multiple steadies the choice on real music.
    const support = peakMass(acf, 2 * refined);
    const score = (peakMass(acf, refined) + 0.5 * support) * Math.exp(-0.5 * (octaves / sigma) ** 2);
    if (score > bestScore) {
      bestScore = score;
      bestLag = refined;
    }
  }
  if (bestLag < 0) return { bpm: 0, confidence: 0 };

  // Octave check: is the half period (double tempo) a peak nearly as strong?
  let lag = bestLag;
  const half = lag / 2;
  if (half >= minLag) {
    const i = Math.round(half);
    let peak = i;
    for (let j = i - 1; j <= i + 1; j++) if (j >= 1 && j < acf.length - 1 && acf[j] > acf[peak]) peak = j;
    if (acf[peak] > 0 && peakMass(acf, peak) >= doublingRatio * peakMass(acf, lag)) lag = refinePeak(acf, peak);
  }
  const confidence = Math.max(0, Math.min(1, at(acf, lag)));
  return { bpm: (60 * frameRateHz) / lag, confidence };
}
