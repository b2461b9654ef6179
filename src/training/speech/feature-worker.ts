/**
 * Worker thread for {@link exportFeatures}: decodes, augments and analyses clips with the
 * app's feature code, posting one result per (clip, variant) job.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseClip, type FeatureJob, type FeatureWorkerInput } from './feature-export.ts';
import { NodeAudioDecoder } from './decode-audio.ts';

const input = workerData as FeatureWorkerInput;
const decoder = new NodeAudioDecoder();
const port = parentPort;
if (!port) throw new Error('feature-worker must run as a worker thread');

port.on('message', async (job: FeatureJob | null) => {
  if (job === null) {
    decoder.free();
    port.close();
    return;
  }
  const result = await analyseClip(input, job, decoder);
  const transfer = result.ok ? [result.logMelDb.buffer, result.active.buffer, result.stats.buffer] : [];
  port.postMessage(result, transfer as ArrayBuffer[]);
});
port.postMessage({ ready: true });
