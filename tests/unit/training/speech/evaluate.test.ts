import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../../src/core/emotion/emotions.ts';
import { emptyVoiceProfile, mergeVoiceProfiles } from '../../../../src/core/speech/voice-profile.ts';
import { loadSpeechEmotionModel, type SpeechEmotionPredictor } from '../../../../src/adapters/ml/speech-emotion-model.ts';
import { selectBackend } from '../../../../src/adapters/ml/tf-backend.ts';
import { buildSpeechNet, serialiseLayersModel } from '../../../../src/training/speech/build-tfjs-model.ts';
import { NodeAudioDecoder } from '../../../../src/training/speech/decode-audio.ts';
import { affectReport, evaluateRows, leaveOneOutProfiles, predictionsCsv, type EvaluatedRow } from '../../../../src/training/speech/evaluate.ts';
import { parseCsv, readManifest } from '../../../../src/training/speech/manifest.ts';
import { testMetadataJson } from '../../core/speech/metadata-fixture.ts';
import { speechLike } from '../../core/speech/fixtures.ts';

/** 16-bit mono WAV bytes of `samples` at 16 kHz. */
function wav(samples: Float32Array): Uint8Array {
  const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (offset: number, s: string) => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 16000, true);
  view.setUint32(28, 32000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((v, i) => view.setInt16(44 + 2 * i, Math.round(v * 32767), true));
  return new Uint8Array(view.buffer);
}

let predictor: SpeechEmotionPredictor;
let manifest: string;

beforeAll(async () => {
  await selectBackend({ order: ['cpu'] });
  const net = buildSpeechNet({ windowFrames: 192, melBandCount: 64, statsCount: 260, classCount: 7, channels: [4, 8], statsHidden: 8 });
  const { modelJson, weights } = await serialiseLayersModel(net);
  net.dispose();
  predictor = await loadSpeechEmotionModel({ metadata: testMetadataJson(), modelJson, weightFiles: { 'weights.bin': weights } });
  const dir = mkdtempSync(join(tmpdir(), 'norae-eval-'));
  // Speaker "a": 5 clips (each read with a profile of its 4 others: mature at 3); "b": 2 clips (1 other: cold).
  const lines = ['file,label,speaker'];
  const clips: [string, string, number][] = [
    ['a', 'happy', 120], ['a', 'sad', 130], ['a', 'angry', 140], ['a', 'neutral', 150], ['a', 'calm', 160],
    ['b', 'happy', 220], ['b', 'sad', 240],
  ];
  clips.forEach(([speaker, label, f0], i) => {
    writeFileSync(join(dir, `${i}.wav`), wav(speechLike(1.5, 16000, f0)));
    lines.push(`${i}.wav,${label},${speaker}`);
  });
  writeFileSync(join(dir, 'manifest.csv'), `${lines.join('\n')}\n`);
  manifest = join(dir, 'manifest.csv');
});

describe('evaluateRows --adapt', () => {
  it('reads each clip with a profile of its speaker\'s other clips only, once that profile is mature', async () => {
    const decoder = new NodeAudioDecoder();
    const rows = readManifest(manifest);
    const evaluation = await evaluateRows({ rows, predictor, decoder, adapt: true });
    expect(evaluation.errorCount).toBe(0);
    expect(evaluation.rows.map((r) => r.adapted)).toEqual([true, true, true, true, true, false, false]);
    expect(evaluation.rows.map((r) => r.profileUtterances)).toEqual([4, 4, 4, 4, 4, 0, 0]);
    // Clip 2 read by hand with the merge of clips 0, 1, 3 and 4 gives the same reading.
    const analysed = await Promise.all(rows.slice(0, 5).map(async (r) => {
      const audio = await decoder.decodeFile(r.path);
      return predictor.analyse(audio.samples, audio.sampleRateHz);
    }));
    const others = [0, 1, 3, 4].reduce((p, i) => mergeVoiceProfiles(p, analysed[i].profileContribution), emptyVoiceProfile(predictor.metadata));
    const byHand = await predictor.predictAnalysed(analysed[2], others);
    expect(evaluation.rows[2].probabilities).toEqual(EMOTIONS.map((e) => byHand.distribution[e]));
    expect(evaluation.rows[2].arousal).toBeCloseTo(byHand.arousal, 9);
    // A profile that held the clip itself would read it differently.
    const withItself = await predictor.predictAnalysed(analysed[2], mergeVoiceProfiles(others, analysed[2].profileContribution));
    expect(withItself.distribution.neutral).not.toBe(byHand.distribution.neutral);
    decoder.free();
  });

  it('writes valence and arousal beside the probabilities', async () => {
    const decoder = new NodeAudioDecoder();
    const evaluation = await evaluateRows({ rows: readManifest(manifest), predictor, decoder, adapt: false });
    decoder.free();
    const [header, ...lines] = parseCsv(predictionsCsv(evaluation.rows));
    expect(header.slice(0, 11)).toEqual(['file', 'label', 'predicted', ...EMOTIONS.map((e) => `p_${e}`)]);
    expect(header.slice(11)).toEqual(['valence', 'arousal', 'confidence', 'unsure', 'adapted', 'profile_utterances', 'error']);
    expect(lines).toHaveLength(7);
    expect(Number(lines[0][12])).toBeCloseTo(evaluation.rows[0].arousal, 5);
    // Calm is not one of the model's labels: not scored, but still read.
    expect(evaluation.skippedLabels).toEqual({ calm: 1 });
  });
});

describe('leaveOneOutProfiles', () => {
  it('equals merging every other contribution', () => {
    const metadata = predictor.metadata;
    const parts = [110, 150, 190, 230].map((f0) => predictor.analyse(speechLike(1, 16000, f0), 16000).profileContribution);
    const loo = leaveOneOutProfiles(parts, emptyVoiceProfile(metadata));
    const direct = [0, 2, 3].reduce((p, i) => mergeVoiceProfiles(p, parts[i]), emptyVoiceProfile(metadata));
    expect(loo[1].utteranceCount).toBe(3);
    loo[1].melMeanDb.forEach((v, m) => expect(v).toBeCloseTo(direct.melMeanDb[m], 9));
    loo[1].statsM2.forEach((v, i) => expect(v).toBeCloseTo(direct.statsM2[i], 6));
  });
});

describe('affectReport', () => {
  it('scores the sign of the arousal and valence outputs against the labels\' target points', () => {
    const row = (label: string, valence: number, arousal: number, predicted = label, confidence = 0.8): EvaluatedRow => ({
      file: '', label, speaker: '', predicted, probabilities: [], valence, arousal, confidence, unsure: confidence < 0.5, adapted: false, profileUtterances: 0, error: '', milliseconds: 0,
    });
    const targets = testMetadataJson().affectTargets as Record<string, [number, number]>;
    const report = affectReport([row('angry', -0.5, 0.6), row('sad', 0.2, 0.3, 'happy', 0.3), row('neutral', 0.4, -0.1), row('happy', 0.5, 0.2)], targets);
    expect(report.arousalAccuracy).toBe(3 / 4); // sad read as aroused
    expect(report.valenceAccuracy).toBe(2 / 3); // neutral has no valence side; sad read as pleasant
    expect(report.unsureShare).toBe(1 / 4);
    expect(report.accuracyUnsure).toBe(0);
    expect(report.accuracySure).toBe(1);
  });
});

describe('evaluateRows --adapt with a weighted profile (metadata adaptation.profileWeighting)', () => {
  it('builds each profile from the other clips weighted by their cold readings, as the app does', async () => {
    const metadata = testMetadataJson();
    (metadata.adaptation as Record<string, unknown>).profileWeighting = { kind: 'p-neutral' };
    const net = buildSpeechNet({ windowFrames: 192, melBandCount: 64, statsCount: 260, classCount: 7, channels: [4, 8], statsHidden: 8 });
    const { modelJson, weights } = await serialiseLayersModel(net);
    net.dispose();
    const weighted = await loadSpeechEmotionModel({ metadata, modelJson, weightFiles: { 'weights.bin': weights } });
    const decoder = new NodeAudioDecoder();
    const rows = readManifest(manifest);
    const evaluation = await evaluateRows({ rows, predictor: weighted, decoder, adapt: true });
    const analysed = await Promise.all(rows.slice(0, 5).map(async (r) => {
      const audio = await decoder.decodeFile(r.path);
      return weighted.analyse(audio.samples, audio.sampleRateHz);
    }));
    const cold = await Promise.all(analysed.map((a) => weighted.predictAnalysed(a)));
    const others = [0, 1, 3, 4].reduce((p, i) => mergeVoiceProfiles(p, cold[i].profileContribution), emptyVoiceProfile(weighted.metadata));
    // The weighted count is the sum of the others' cold p(neutral) (a random net: well below 4).
    const expectedCount = [0, 1, 3, 4].reduce((s, i) => s + cold[i].distribution.neutral, 0);
    expect(others.utteranceCount).toBeCloseTo(expectedCount, 9);
    expect(evaluation.rows[2].adapted).toBe(others.utteranceCount >= 3);
    if (evaluation.rows[2].adapted) {
      expect(evaluation.rows[2].profileUtterances).toBeCloseTo(expectedCount, 9);
      const byHand = await weighted.predictAnalysed(analysed[2], others);
      expect(evaluation.rows[2].probabilities).toEqual(EMOTIONS.map((e) => byHand.distribution[e]));
    } else {
      expect(evaluation.rows[2].probabilities).toEqual(EMOTIONS.map((e) => cold[2].distribution[e]));
    }
    decoder.free();
    weighted.dispose();
  });

  it('--profile one-emotion: two seeded draws per clip, each a profile of one other label with ≥ 2 clips', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'norae-eval-one-'));
    const lines = ['file,label,speaker'];
    const labels = ['happy', 'happy', 'happy', 'sad', 'sad', 'sad', 'angry'];
    labels.forEach((label, i) => {
      writeFileSync(join(dir, `${i}.wav`), wav(speechLike(1.2, 16000, 120 + 15 * i)));
      lines.push(`${i}.wav,${label},s`);
    });
    writeFileSync(join(dir, 'manifest.csv'), `${lines.join('\n')}\n`);
    const decoder = new NodeAudioDecoder();
    const rows = readManifest(join(dir, 'manifest.csv'));
    const run = () => evaluateRows({ rows, predictor, decoder, adapt: true, profile: 'one-emotion', seed: 7 });
    const evaluation = await run();
    expect(evaluation.rows).toHaveLength(14);
    for (const r of evaluation.rows) {
      expect(['happy', 'sad']).toContain(r.profileEmotion);
      // A happy clip's happy profile holds its 2 other happy clips; any sad profile 3 (angry: too few).
      expect(r.profileUtterances).toBe(r.adapted ? (r.profileEmotion === r.label ? 2 : 3) : 0);
    }
    expect((await run()).rows.map((r) => r.profileEmotion)).toEqual(evaluation.rows.map((r) => r.profileEmotion));
    const [header] = parseCsv(predictionsCsv(evaluation.rows));
    expect(header.at(-1)).toBe('profile_emotion');
    decoder.free();
  });
});
