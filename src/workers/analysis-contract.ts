/**
 * The two facts about song analysis the page needs without loading the analyser itself: which
 * version produced a stored analysis, and the sample rate the browser decoder should produce
 * when it decodes for the analyser (formats the worker's wasm decoders do not handle).
 */
export { ANALYSER_VERSION } from '../core/music/emotion-model.ts';
export { ANALYSIS_SAMPLE_RATE_HZ } from '../core/music/song-analyser.ts';
