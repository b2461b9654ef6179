import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SpeechFeatureConfig } from '../../core/speech/speech-contract.ts';
import { SpeechAnalyser } from '../../core/speech/speech-analysis.ts';
import { planSegments } from '../../core/speech/model-input.ts';
import { utteranceStatNames } from '../../core/speech/utterance-stats.ts';
import { createRng, describeCondition, drawRoomTestCondition, drawTrainingCondition, renderCondition } from './augment.ts';
import type { NodeAudioDecoder } from './decode-audio.ts';

/** A clip to export: where it is and what the manifest says about it. */
export interface FeatureClip {
  path: string;
  file: string;
  label: string;
  speaker: string;
  corpus: string;
  /** The sentence read (config.ts `sentenceOf`), '' when unknown. */
  sentence: string;
}

/**
 * What a variant of the clips is: `clean` (as recorded), `train` (a random recording condition
 * per speaker, for training) or `room-test` (the light-echo-and-steady-noise room used only to
 * evaluate, never trained on).
 */
export type VariantKind = 'clean' | 'train' | 'room-test';

export interface FeatureWorkerInput {
  features: SpeechFeatureConfig;
  clips: FeatureClip[];
  /** Kind of each variant; variant 0 is always `clean`. */
  variantKinds: VariantKind[];
  seed: number;
}

/** One (clip, variant) to analyse; variant 0 is the clean clip, others are augmented copies. */
export interface FeatureJob {
  clip: number;
  variant: number;
}

export type FeatureResult =
  | { ok: true; clip: number; variant: number; logMelDb: Float32Array; active: Uint8Array; stats: Float32Array; frameCount: number; description: string }
  | { ok: false; clip: number; variant: number; error: string };

/** Seed of one job: independent of which worker runs it, so exports are reproducible. */
function jobSeed(seed: number, clip: number, variant: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 2654435761) ^ Math.imul(clip + 1, 40503) ^ Math.imul(variant + 1, 2246822519)) >>> 0;
}

/** Seed of a speaker's recording condition in one variant (the same for all their clips). */
function conditionSeed(seed: number, speaker: string, variant: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < speaker.length; i++) hash = Math.imul(hash ^ speaker.charCodeAt(i), 0x01000193);
  return (hash ^ Math.imul(variant + 1, 2246822519)) >>> 0;
}

/**
 * Starts a TypeScript worker thread. Workers do not inherit tsx's loader hooks, so a tiny
 * bootstrap registers them (tsx's documented API) before importing the worker module.
 */
export function startTsWorker(url: URL, workerData: unknown): Worker {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

let analyser: SpeechAnalyser | null = null;

/**
 * Decodes, (for variant > 0) augments, and analyses one clip exactly as the app will: the
 * trimmed, loudness-normalised log-mel and the raw utterance statistics of its segment
 * (training clips are shorter than one segment; longer ones use the first).
 */
export async function analyseClip(input: FeatureWorkerInput, job: FeatureJob, decoder: NodeAudioDecoder): Promise<FeatureResult> {
  const clip = input.clips[job.clip];
  try {
    analyser ??= new SpeechAnalyser(input.features);
    const audio = await decoder.decodeFile(clip.path);
    let samples = audio.samples;
    let description = 'clean';
    const kind = input.variantKinds[job.variant];
    if (kind !== 'clean') {
      // One condition per speaker and variant (a pseudo-speaker: voice, room, microphone), the
      // clip's own randomness for everything that differs between recordings in it.
      const conditionRng = createRng(conditionSeed(input.seed, clip.speaker, job.variant));
      const condition = kind === 'room-test' ? drawRoomTestCondition(conditionRng) : drawTrainingCondition(conditionRng);
      const rng = createRng(jobSeed(input.seed, job.clip, job.variant));
      let background: Float32Array | null = null;
      if (condition.noise?.kind === 'babble') {
        // Background talk: a random clip of another speaker.
        for (let attempt = 0; attempt < 10 && !background; attempt++) {
          const other = input.clips[Math.floor(rng() * input.clips.length)];
          if (other.speaker !== clip.speaker) background = (await decoder.decodeFile(other.path)).samples;
        }
      }
      samples = renderCondition(samples, audio.sampleRateHz, condition, rng, background);
      description = describeCondition(condition);
    }
    const analysis = analyser.analyse(samples, audio.sampleRateHz);
    const [segment] = planSegments(analysis, input.features);
    const end = segment.endFrame;
    const start = segment.startFrame;
    const bands = analysis.melBandCount;
    return {
      ok: true,
      clip: job.clip,
      variant: job.variant,
      logMelDb: analysis.logMelDb.slice(start * bands, end * bands),
      active: analysis.active.slice(start, end),
      stats: segment.stats,
      frameCount: end - start,
      description,
    };
  } catch (error) {
    return { ok: false, clip: job.clip, variant: job.variant, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** What {@link exportFeatures} wrote. */
export interface FeatureExportIndex {
  features: SpeechFeatureConfig;
  statNames: string[];
  variants: number;
  variantKinds: VariantKind[];
  clips: FeatureClip[];
  /** Per variant, per clip: frames (0 = failed) and offset in frames into that variant's mel file. */
  frameCounts: number[][];
  frameOffsets: number[][];
  descriptions: string[][];
  errors: { clip: number; variant: number; file: string; error: string }[];
  seconds: number;
}

/**
 * Exports features for `clips` × (1 clean + `augmentedCopies` training renderings + the evaluation room when `roomTest`) variants into `outDir`, using
 * `workerCount` worker threads: per variant `v{n}.mel.f32` (frames × bands, float32 LE, clips
 * concatenated), `v{n}.active.u8` (speech mask per frame) and `v{n}.stats.f32` (clips × stats;
 * NaN rows for failed clips), plus `index.json`. train.py reads these.
 */
export async function exportFeatures(opts: {
  features: SpeechFeatureConfig;
  clips: FeatureClip[];
  /** Training renderings per clip (each a random condition per speaker). */
  augmentedCopies: number;
  /** Also render every clip in the evaluation room (the last variant). */
  roomTest: boolean;
  seed: number;
  outDir: string;
  workerCount: number;
  log?: (line: string) => void;
}): Promise<FeatureExportIndex> {
  const { features, clips, augmentedCopies, seed, outDir } = opts;
  const started = performance.now();
  const variantKinds: VariantKind[] = ['clean', ...Array<VariantKind>(augmentedCopies).fill('train'), ...(opts.roomTest ? (['room-test'] as const) : [])];
  const variants = variantKinds.length;
  const jobs: FeatureJob[] = [];
  for (let variant = 0; variant < variants; variant++) for (let clip = 0; clip < clips.length; clip++) jobs.push({ clip, variant });
  const results: (FeatureResult | undefined)[] = new Array(jobs.length);
  const input: FeatureWorkerInput = { features, clips, variantKinds, seed };
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: opts.workerCount }, async () => {
      const worker = startTsWorker(new URL('./feature-worker.ts', import.meta.url), input);
      await new Promise<void>((resolve, reject) => {
        const send = () => {
          if (next < jobs.length) worker.postMessage(jobs[next++]);
          else {
            worker.postMessage(null);
            resolve();
          }
        };
        worker.on('error', reject);
        worker.on('message', (message: FeatureResult | { ready: true }) => {
          if ('ready' in message) return send();
          results[message.variant * clips.length + message.clip] = message;
          done++;
          if (opts.log && done % 500 === 0) opts.log(`  features: ${done}/${jobs.length} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
          send();
        });
      });
      await worker.terminate();
    }),
  );

  mkdirSync(outDir, { recursive: true });
  const statNames = utteranceStatNames(features.melBandCount);
  const bands = features.melBandCount;
  const index: FeatureExportIndex = { features, statNames, variants, variantKinds, clips, frameCounts: [], frameOffsets: [], descriptions: [], errors: [], seconds: 0 };
  for (let variant = 0; variant < variants; variant++) {
    const counts: number[] = [];
    const offsets: number[] = [];
    const descriptions: string[] = [];
    let totalFrames = 0;
    for (let clip = 0; clip < clips.length; clip++) {
      const r = results[variant * clips.length + clip];
      const frames = r?.ok ? r.frameCount : 0;
      offsets.push(totalFrames);
      counts.push(frames);
      totalFrames += frames;
      descriptions.push(r?.ok ? r.description : '');
      if (r && !r.ok) index.errors.push({ clip, variant, file: clips[clip].file, error: r.error });
    }
    const mel = new Float32Array(totalFrames * bands);
    const active = new Uint8Array(totalFrames);
    const stats = new Float32Array(clips.length * statNames.length).fill(Number.NaN);
    for (let clip = 0; clip < clips.length; clip++) {
      const r = results[variant * clips.length + clip];
      if (!r?.ok) continue;
      mel.set(r.logMelDb, offsets[clip] * bands);
      active.set(r.active, offsets[clip]);
      stats.set(r.stats, clip * statNames.length);
    }
    writeFileSync(join(outDir, `v${variant}.mel.f32`), new Uint8Array(mel.buffer));
    writeFileSync(join(outDir, `v${variant}.active.u8`), active);
    writeFileSync(join(outDir, `v${variant}.stats.f32`), new Uint8Array(stats.buffer));
    index.frameCounts.push(counts);
    index.frameOffsets.push(offsets);
    index.descriptions.push(descriptions);
  }
  index.seconds = (performance.now() - started) / 1000;
  writeFileSync(join(outDir, 'index.json'), JSON.stringify(index));
  return index;
}
