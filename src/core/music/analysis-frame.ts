/**
 * The analysis grid every song feature is measured on: one rate, one STFT, one mel filterbank.
 * A module of its own so that what only needs the rate (the page's decoder, the wasm decoders'
 * resampler) does not import the analyser.
 */

/**
 * Analysis runs at 11.025 kHz. Why not 22.05 kHz: half the samples means half the STFT,
 * resampling and filtering cost for the same 10.8 Hz bin spacing and 23 ms hop (1024-point FFT,
 * hop 256 here = librosa's 2048/512 at 22.05 kHz); and the 4Q training clips include 16 kHz
 * and 64 kbit/s MP3s whose content stops at 8 kHz or below, so measuring above 5.5 kHz would
 * partly measure the encoder rather than the music. Tempo, key, MFCC and dynamics live well
 * below 5.5 kHz; brightness is measured within the 0–5.5 kHz band (documented in the features).
 */
export const ANALYSIS_SAMPLE_RATE_HZ = 11_025;
/** STFT length (93 ms at the analysis rate). */
export const ANALYSIS_FFT_SIZE = 1024;
/** STFT hop (23.2 ms): the onset envelope's frame period. */
export const ANALYSIS_HOP_SIZE_SAMPLES = 256;
/** Frames per second of the onset envelope. */
export const ANALYSIS_FRAME_RATE_HZ = ANALYSIS_SAMPLE_RATE_HZ / ANALYSIS_HOP_SIZE_SAMPLES;
/** Spacing of the STFT's bins, Hz (10.8 Hz). */
export const ANALYSIS_BIN_HZ = ANALYSIS_SAMPLE_RATE_HZ / ANALYSIS_FFT_SIZE;
/** Mel bands of the per-frame mel spectrum (onsets, MFCC and HPSS all read it). */
export const ANALYSIS_MEL_BANDS = 40;
/** Frames quieter than this (RMS, dBFS) carry no timbre or harmony statistics. */
export const SILENCE_DB = -60;
/** Floor for dB conversions of power (−100 dB), so silence reads as a number, not −∞. */
export const POWER_FLOOR = 1e-10;

/** Power (mean square or |X|²) to dB, floored at −100 dB. */
export function toDb(power: number): number {
  return 10 * Math.log10(Math.max(power, POWER_FLOOR));
}
