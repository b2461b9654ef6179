/**
 * What the analyser measures about a song: a flat record of named numbers, every one finite.
 * Means and standard deviations are over analysis frames (1024-sample Hann window, 256-sample
 * hop at {@link ANALYSIS_SAMPLE_RATE_HZ}: 93 ms windows every 23 ms) unless said otherwise;
 * spectral measures skip silent frames (below −60 dBFS).
 */
export interface SongFeatures {
  /** Length of the input in seconds. */
  durationSeconds: number;
  /** Seconds actually analysed (equal to the duration; kept separate should analysis ever be windowed). */
  analysedSeconds: number;
  /** Fraction of frames louder than −60 dBFS, 0 … 1 (0 = digital silence; nothing to read an emotion from). */
  audibleFraction: number;

  // Tempo and rhythm
  /** Tempo in beats per minute (0 when no pulse was found). */
  tempoBpm: number;
  /** How clear the pulse is: normalised autocorrelation at the beat period, 0 … 1. */
  tempoConfidence: number;
  /** Detected note/drum onsets per second. */
  onsetRatePerSecond: number;
  /** Mean onset strength (positive log-mel flux, dB per frame): how much changes, how hard. */
  onsetStrengthMean: number;
  /** Standard deviation of the onset strength, dB per frame: accented (high) vs smooth (low) motion. */
  onsetStrengthStd: number;

  // Amplitude and dynamics
  /** Overall RMS level in dBFS (full-scale sine = −3 dB). */
  rmsDb: number;
  /** Integrated loudness, BS.1770-style (K-weighted, gated), in LUFS, measured on the 0–5.5 kHz analysis band. */
  loudnessLufs: number;
  /** Loudness range (EBU Tech 3342 style, 10th–95th percentile of 3 s loudness) in LU. */
  loudnessRangeLu: number;
  /** Standard deviation of frame RMS level over non-silent frames, dB. */
  rmsDbStd: number;
  /** Fraction of frames quieter than the song's mean frame energy (0 … 1). */
  lowEnergyRatio: number;

  // Timbre: brightness and noisiness
  /** Mean spectral centroid, Hz (of the 0–5.5 kHz band). */
  spectralCentroidHz: number;
  /** Standard deviation of the spectral centroid, Hz. */
  spectralCentroidStdHz: number;
  /** Mean 85 % spectral roll-off frequency, Hz. */
  spectralRolloffHz: number;
  /** Mean spectral bandwidth (magnitude-weighted spread about the centroid), Hz. */
  spectralBandwidthHz: number;
  /** Mean spectral flatness (Wiener entropy) of the power spectrum, 0 (tonal) … 1 (white noise). */
  spectralFlatness: number;
  /** Mean zero-crossing rate, crossings per sample at the analysis rate. */
  zeroCrossingRate: number;
  /** Mean spectral contrast (peak − valley, dB) in octave bands 0–200, 200–400, 400–800, 800–1600, 1600–3200, 3200–5512 Hz. */
  contrastBand0Db: number;
  contrastBand1Db: number;
  contrastBand2Db: number;
  contrastBand3Db: number;
  contrastBand4Db: number;
  contrastBand5Db: number;
  /** Mean valley (bottom 2 %) level per octave band, dB re. frame power: the noise floor between partials. */
  valleyBand0Db: number;
  valleyBand1Db: number;
  valleyBand2Db: number;
  valleyBand3Db: number;
  valleyBand4Db: number;
  valleyBand5Db: number;

  // MFCCs (40 Slaney mel bands, 0–5512 Hz, power in dB, orthonormal DCT-II)
  mfcc0Mean: number;
  mfcc1Mean: number;
  mfcc2Mean: number;
  mfcc3Mean: number;
  mfcc4Mean: number;
  mfcc5Mean: number;
  mfcc6Mean: number;
  mfcc7Mean: number;
  mfcc8Mean: number;
  mfcc9Mean: number;
  mfcc10Mean: number;
  mfcc11Mean: number;
  mfcc12Mean: number;
  mfcc0Std: number;
  mfcc1Std: number;
  mfcc2Std: number;
  mfcc3Std: number;
  mfcc4Std: number;
  mfcc5Std: number;
  mfcc6Std: number;
  mfcc7Std: number;
  mfcc8Std: number;
  mfcc9Std: number;
  mfcc10Std: number;
  mfcc11Std: number;
  mfcc12Std: number;
  /** Mean absolute frame-to-frame change of MFCC 1–12: how fast the timbre moves. */
  mfccDeltaMean: number;

  // Harmony
  /** Harmonic share of the energy after median-filter HPSS on the mel spectrogram, 0 … 1. */
  harmonicRatio: number;
  /** Correlation of the mean chroma with the best Krumhansl–Kessler key profile, −1 … 1. */
  keyStrength: number;
  /** Best major minus best minor key correlation, −2 … 2 (> 0 leans major). */
  majorness: number;
  /** 1 when the best key is major, 0 when minor. */
  modeMajor: number;
  /** Tonic pitch class of the best key, 0 = C … 11 = B (descriptive; not a model input). */
  keyTonicPitchClass: number;
  /** Entropy of the mean chroma, bits (0 … log2 12 ≈ 3.58): how spread the harmony is over pitch classes. */
  chromaEntropyBits: number;
  /** Mean cosine distance between successive 0.5 s chroma averages, 0 … 1: how fast the harmony changes. */
  chromaChangeRate: number;
  /**
   * Key-relative pitch-class profile: share of the mean chroma (sums to 1) at each number of
   * semitones above the estimated tonic (0 = tonic, 3 = minor third, 4 = major third, 7 = fifth…).
   */
  keyProfile0: number;
  keyProfile1: number;
  keyProfile2: number;
  keyProfile3: number;
  keyProfile4: number;
  keyProfile5: number;
  keyProfile6: number;
  keyProfile7: number;
  keyProfile8: number;
  keyProfile9: number;
  keyProfile10: number;
  keyProfile11: number;
}

export type SongFeatureName = keyof SongFeatures;

/** Every feature name, in a stable order (the model JSON and the CSV use these names). */
export const SONG_FEATURE_NAMES = [
  'durationSeconds', 'analysedSeconds', 'audibleFraction',
  'tempoBpm', 'tempoConfidence', 'onsetRatePerSecond', 'onsetStrengthMean', 'onsetStrengthStd',
  'rmsDb', 'loudnessLufs', 'loudnessRangeLu', 'rmsDbStd', 'lowEnergyRatio',
  'spectralCentroidHz', 'spectralCentroidStdHz', 'spectralRolloffHz', 'spectralBandwidthHz', 'spectralFlatness', 'zeroCrossingRate',
  'contrastBand0Db', 'contrastBand1Db', 'contrastBand2Db', 'contrastBand3Db', 'contrastBand4Db', 'contrastBand5Db',
  'valleyBand0Db', 'valleyBand1Db', 'valleyBand2Db', 'valleyBand3Db', 'valleyBand4Db', 'valleyBand5Db',
  'mfcc0Mean', 'mfcc1Mean', 'mfcc2Mean', 'mfcc3Mean', 'mfcc4Mean', 'mfcc5Mean', 'mfcc6Mean',
  'mfcc7Mean', 'mfcc8Mean', 'mfcc9Mean', 'mfcc10Mean', 'mfcc11Mean', 'mfcc12Mean',
  'mfcc0Std', 'mfcc1Std', 'mfcc2Std', 'mfcc3Std', 'mfcc4Std', 'mfcc5Std', 'mfcc6Std',
  'mfcc7Std', 'mfcc8Std', 'mfcc9Std', 'mfcc10Std', 'mfcc11Std', 'mfcc12Std', 'mfccDeltaMean',
  'harmonicRatio', 'keyStrength', 'majorness', 'modeMajor', 'keyTonicPitchClass', 'chromaEntropyBits', 'chromaChangeRate',
  'keyProfile0', 'keyProfile1', 'keyProfile2', 'keyProfile3', 'keyProfile4', 'keyProfile5',
  'keyProfile6', 'keyProfile7', 'keyProfile8', 'keyProfile9', 'keyProfile10', 'keyProfile11',
] as const satisfies readonly SongFeatureName[];

// Compile-time check that the list names every field exactly once.
type Missing = Exclude<SongFeatureName, (typeof SONG_FEATURE_NAMES)[number]>;
const _allNamed: Missing extends never ? true : Missing = true;
void _allNamed;
