import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../../src/core/emotion/emotions.ts';
import { SpeechModelContractError } from '../../../../src/core/speech/speech-contract.ts';
import { isSpeechInputError } from '../../../../src/core/speech/speech-error.ts';
import { loadSpeechEmotionModel, type SpeechModelFiles } from '../../../../src/adapters/ml/speech-emotion-model.ts';
import { selectBackend } from '../../../../src/adapters/ml/tf-backend.ts';
import { buildSpeechNet, serialiseLayersModel } from '../../../../src/training/speech/build-tfjs-model.ts';
import { testMetadataJson } from '../../core/speech/metadata-fixture.ts';
import { concat, speechLike } from '../../core/speech/fixtures.ts';

/** A randomly initialised network of the shipped architecture, as in-memory model files. */
async function randomModelFiles(windowFrames = 192): Promise<SpeechModelFiles> {
  const net = buildSpeechNet({ windowFrames, melBandCount: 64, statsCount: 260, classCount: 7, channels: [4, 8], statsHidden: 8 });
  const { modelJson, weights } = await serialiseLayersModel(net);
  net.dispose();
  return { metadata: testMetadataJson(), modelJson, weightFiles: { 'weights.bin': weights } };
}

let files: SpeechModelFiles;

beforeAll(async () => {
  expect(await selectBackend({ order: ['cpu'] })).toBe('cpu');
  files = await randomModelFiles();
});

describe('loadSpeechEmotionModel', () => {
  it('predicts an eight-emotion distribution with contempt 0, the model\'s own valence/arousal and the spectrogram', async () => {
    const predictor = await loadSpeechEmotionModel(files);
    expect(predictor.recognisedLabels).toHaveLength(7);
    expect(predictor.unsupportedLabels).toEqual(['contempt']);
    const result = await predictor.predict(speechLike(2), 16000);
    expect(Object.keys(result.distribution).sort()).toEqual([...EMOTIONS].sort());
    expect(result.distribution.contempt).toBe(0);
    const total = EMOTIONS.reduce((s, e) => s + result.distribution[e], 0);
    expect(total).toBeCloseTo(1, 5);
    expect(result.confidence).toBe(Math.max(...EMOTIONS.map((e) => result.distribution[e])));
    expect(result.distribution[result.top]).toBe(result.confidence);
    // Valence and arousal are the network's second output (tanh), averaged over its windows.
    const analysed = predictor.analyse(speechLike(2), 16000);
    const { buildModelInputs } = await import('../../../../src/core/speech/model-input.ts');
    const { effectiveNormalisation } = await import('../../../../src/core/speech/voice-profile.ts');
    const inputs = buildModelInputs(analysed.analysis, analysed.segments, predictor.metadata.features, effectiveNormalisation(predictor.metadata, null));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: (files.modelJson as { modelTopology: object }).modelTopology, weightSpecs: (files.modelJson as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }).weightsManifest[0].weights, weightData: (files.weightFiles['weights.bin'] as Uint8Array).slice().buffer }));
    const [, affect] = model.predict([
      tf.tensor4d(inputs.logMel, [inputs.windowCount, 192, 64, 1]),
      tf.tensor2d(inputs.stats, [inputs.windowCount, inputs.statsCount]),
    ]) as tf.Tensor[];
    const values = await affect.data();
    let valence = 0;
    let arousal = 0;
    for (let w = 0; w < inputs.windowCount; w++) {
      valence += values[2 * w] / inputs.windowCount;
      arousal += values[2 * w + 1] / inputs.windowCount;
    }
    tf.dispose(model.predict([tf.zeros([1, 192, 64, 1]), tf.zeros([1, 260])]) as tf.Tensor[]);
    affect.dispose();
    model.dispose();
    expect(result.valence).toBeCloseTo(valence, 5);
    expect(result.arousal).toBeCloseTo(arousal, 5);
    expect(Math.abs(result.valence)).toBeLessThanOrEqual(1);
    // Calibrated confidence below the metadata's unsureBelow (0.5): a random net is unsure.
    expect(result.unsure).toBe(result.confidence < 0.5);
    expect(result.reliability).toEqual(predictor.metadata.reliability.cold);
    expect(result.frames.melBandCount).toBe(64);
    expect(result.frames.data).toHaveLength(64 * result.frames.frameCount);
    expect(result.frames.hopSeconds).toBeCloseTo(0.01, 6);
    expect(result.adapted).toBe(false);
    expect(result.profileContribution.utteranceCount).toBe(1);
    predictor.dispose();
  });

  it('leaks no tensors across repeated predictions (cold, adapted, long audio)', async () => {
    const predictor = await loadSpeechEmotionModel(files);
    const audio = speechLike(3);
    const first = await predictor.predict(audio, 16000);
    const before = tf.memory().numTensors;
    await predictor.warmUp();
    for (let i = 0; i < 4; i++) await predictor.predict(audio, 16000, i % 2 ? first.profileContribution : null);
    await predictor.predict(speechLike(40), 16000);
    expect(tf.memory().numTensors).toBe(before);
    predictor.dispose();
  });

  it('analyses long audio in windows and segments and aggregates them', async () => {
    const predictor = await loadSpeechEmotionModel(files);
    const result = await predictor.predict(concat(speechLike(30), new Float32Array(16000 * 10), speechLike(30)), 16000);
    expect(result.segmentCount).toBeGreaterThanOrEqual(7);
    expect(result.windowCount).toBeGreaterThan(50);
    expect(EMOTIONS.reduce((s, e) => s + result.distribution[e], 0)).toBeCloseTo(1, 5);
    predictor.dispose();
  });

  it('uses a voice profile once it is mature (metadata: 3 utterances), with the adapted reliability', async () => {
    const predictor = await loadSpeechEmotionModel(files);
    const a = predictor.analyse(speechLike(2, 16000, 110), 16000);
    const young = await predictor.predictAnalysed(a, a.profileContribution);
    expect(young.adapted).toBe(false);
    expect(young.reliability).toEqual(predictor.metadata.reliability.cold);
    const { mergeVoiceProfiles } = await import('../../../../src/core/speech/voice-profile.ts');
    const mature = mergeVoiceProfiles(mergeVoiceProfiles(a.profileContribution, a.profileContribution), a.profileContribution);
    const result = await predictor.predictAnalysed(a, mature);
    expect(result.adapted).toBe(true);
    expect(result.reliability).toEqual(predictor.metadata.reliability.adapted);
    predictor.dispose();
  });

  it('says clearly when the audio is silent or too short', async () => {
    const predictor = await loadSpeechEmotionModel(files);
    const codes: string[] = [];
    for (const audio of [new Float32Array(16000), speechLike(0.2)]) {
      try {
        await predictor.predict(audio, 16000);
      } catch (error) {
        if (isSpeechInputError(error)) codes.push(error.code);
      }
    }
    expect(codes).toEqual(['silent', 'too-short']);
    predictor.dispose();
  });

  it('refuses a model whose shapes disagree with metadata.json, saying so', async () => {
    const other = await randomModelFiles(100);
    const load = () => loadSpeechEmotionModel({ ...other, metadata: testMetadataJson() });
    await expect(load()).rejects.toThrow(SpeechModelContractError);
    await expect(load()).rejects.toThrow(/input "log_mel" has shape \[null, 100, 64, 1\] but metadata.json says \[null, 192, 64, 1\]/);
  });

  it('refuses metadata trained with other feature code, and missing weight files', async () => {
    const metadata = testMetadataJson() as { statsFeatureNames: string[] };
    metadata.statsFeatureNames = [...metadata.statsFeatureNames.slice(1), 'something_else'];
    await expect(loadSpeechEmotionModel({ ...files, metadata })).rejects.toThrow(/trained with other feature code/);
    await expect(loadSpeechEmotionModel({ ...files, weightFiles: {} })).rejects.toThrow(/weight file "weights.bin"/);
  });

  it('loads from a folder URL with the fetch it is given', async () => {
    const served: Record<string, () => Response> = {
      '/m/metadata.json': () => Response.json(files.metadata),
      '/m/model.json': () => Response.json(files.modelJson),
      '/m/weights.bin': () => new Response(files.weightFiles['weights.bin'] as Uint8Array<ArrayBuffer>),
    };
    const fakeFetch = (async (url: string) => served[url]?.() ?? new Response('missing', { status: 404 })) as typeof fetch;
    const predictor = await loadSpeechEmotionModel('/m', { fetch: fakeFetch });
    expect(predictor.metadata.modelVersion).toBe('test');
    predictor.dispose();
    await expect(loadSpeechEmotionModel('/nowhere/', { fetch: fakeFetch })).rejects.toThrow(/HTTP 404/);
  });
});

describe('profile weighting in the predictor (metadata adaptation.profileWeighting)', () => {
  const withWeighting = (profileWeighting: unknown): SpeechModelFiles => {
    const metadata = testMetadataJson();
    (metadata.adaptation as Record<string, unknown>).profileWeighting = profileWeighting;
    return { ...files, metadata };
  };

  it('none (or missing): weight 1, the contribution unweighted', async () => {
    const predictor = await loadSpeechEmotionModel(files);
    const analysed = predictor.analyse(speechLike(2, 16000, 150), 16000);
    const result = await predictor.predictAnalysed(analysed);
    expect(result.profileWeight).toBe(1);
    expect(result.profileContribution).toEqual(analysed.profileContribution);
    predictor.dispose();
  });

  it('p-neutral: a cold reading weighs its contribution by its own calibrated p(neutral)', async () => {
    const predictor = await loadSpeechEmotionModel(withWeighting({ kind: 'p-neutral' }));
    const analysed = predictor.analyse(speechLike(2, 16000, 150), 16000);
    const result = await predictor.predictAnalysed(analysed);
    expect(result.adapted).toBe(false);
    expect(result.profileWeight).toBeCloseTo(result.distribution.neutral, 12);
    expect(result.profileWeight).toBeGreaterThan(0);
    expect(result.profileWeight).toBeLessThan(1);
    expect(result.profileContribution.utteranceCount).toBeCloseTo(result.profileWeight, 12);
    expect(result.profileContribution.frameCount).toBeCloseTo(analysed.profileContribution.frameCount * result.profileWeight, 9);
    expect(result.profileContribution.melMeanDb).toEqual(analysed.profileContribution.melMeanDb);
    predictor.dispose();
  });

  it('an adapted reading takes its weight from the cold reading (a second pass), never from itself, and leaks no tensors', async () => {
    const predictor = await loadSpeechEmotionModel(withWeighting({ kind: 'neutral-distance', target: [0, -0.25], sigma: 0.35 }));
    const other = predictor.analyse(speechLike(2, 16000, 260), 16000).profileContribution;
    const { mergeVoiceProfiles } = await import('../../../../src/core/speech/voice-profile.ts');
    const mature = mergeVoiceProfiles(mergeVoiceProfiles(other, other), other);
    const analysed = predictor.analyse(speechLike(2, 16000, 120), 16000);
    const cold = await predictor.predictAnalysed(analysed);
    const before = tf.memory().numTensors;
    const adapted = await predictor.predictAnalysed(analysed, mature);
    expect(tf.memory().numTensors).toBe(before);
    expect(adapted.adapted).toBe(true);
    // The adapted reading itself differs from the cold one…
    expect(Math.abs(adapted.arousal - cold.arousal) + Math.abs(adapted.valence - cold.valence)).toBeGreaterThan(1e-6);
    // …but the weight is the cold reading's.
    const expected = Math.exp(-((cold.valence - 0) ** 2 + (cold.arousal + 0.25) ** 2) / (2 * 0.35 ** 2));
    expect(adapted.profileWeight).toBeCloseTo(expected, 6);
    expect(cold.profileWeight).toBeCloseTo(expected, 6);
    expect(adapted.profileContribution.utteranceCount).toBeCloseTo(expected, 6);
    predictor.dispose();
  });
});
