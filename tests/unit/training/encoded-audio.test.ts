import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseEncodedAudio, analysePcm } from '../../../src/adapters/audio/analyse-encoded.ts';
import { detectEncodedFormat } from '../../../src/adapters/audio/compressed-decode.ts';
import { SONG_FEATURE_NAMES } from '../../../src/core/music/song-features.ts';

/**
 * The decode adapter (wasm decoders + WAV reader) and `analyseEncodedAudio`, in Node — the same
 * code the app's analysis worker runs. Compressed fixtures are made with ffmpeg at test time
 * (.ci/run installs it): without it they fail rather than skip, so a missing tool never hides
 * an untested decoder.
 */

type Encoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32';

/**
 * A stereo WAV of a 440 Hz tone with clicks at 120 BPM and a −50 dBFS noise floor (as real
 * recordings have: without it, spectral valleys would sit on 16-bit quantisation noise and
 * the test would measure the quantiser), with an optional padding chunk before `data`.
 */
function makeWav(encoding: Encoding, rateHz: number, seconds: number, paddingBytes = 0): Uint8Array {
  const frames = Math.round(rateHz * seconds);
  const bytesPerSample = { pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4 }[encoding];
  const channels = 2;
  const dataBytes = frames * channels * bytesPerSample;
  const pad = paddingBytes > 0 ? 8 + paddingBytes : 0;
  const buffer = new ArrayBuffer(44 + pad + dataBytes);
  const view = new DataView(buffer);
  const text = (offset: number, s: string): void => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, buffer.byteLength - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, encoding === 'float32' ? 3 : 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rateHz, true);
  view.setUint32(28, rateHz * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  let offset = 36;
  if (pad) {
    text(offset, 'LIST');
    view.setUint32(offset + 4, paddingBytes, true);
    offset += pad;
  }
  text(offset, 'data');
  view.setUint32(offset + 4, dataBytes, true);
  offset += 8;
  const beat = Math.round(rateHz / 2);
  let seed = 77;
  for (let f = 0; f < frames; f++) {
    const click = f % beat < rateHz * 0.01 ? 0.4 * Math.exp(-(f % beat) / (rateHz * 0.002)) * Math.sin(f * 1.7) : 0;
    const floor = 0.003 * (((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
    const v = 0.3 * Math.sin((2 * Math.PI * 440 * f) / rateHz) + click + floor;
    for (let c = 0; c < channels; c++, offset += bytesPerSample) {
      if (encoding === 'float32') view.setFloat32(offset, v, true);
      else if (encoding === 'pcm16') view.setInt16(offset, Math.round(v * 32767), true);
      else if (encoding === 'pcm8') view.setUint8(offset, Math.round(v * 127 + 128));
      else if (encoding === 'pcm32') view.setInt32(offset, Math.round(v * 2147483647), true);
      else {
        const s = Math.round(v * 8388607);
        view.setUint8(offset, s & 0xff);
        view.setUint8(offset + 1, (s >> 8) & 0xff);
        view.setInt8(offset + 2, s >> 16);
      }
    }
  }
  return new Uint8Array(buffer);
}

describe('analyseEncodedAudio on WAV', () => {
  it('reads 8/16/24/32-bit PCM and float WAV alike', async () => {
    const reference = await analyseEncodedAudio(makeWav('float32', 22_050, 6));
    expect(reference.features.durationSeconds).toBeCloseTo(6, 2);
    expect(Math.abs(reference.features.tempoBpm - 120)).toBeLessThan(3);
    for (const name of SONG_FEATURE_NAMES) expect(Number.isFinite(reference.features[name]), name).toBe(true);
    for (const t of Object.values(reference.timings)) expect(t).toBeGreaterThanOrEqual(0);
    for (const encoding of ['pcm8', 'pcm16', 'pcm24', 'pcm32'] as const) {
      const r = await analyseEncodedAudio(makeWav(encoding, 22_050, 6));
      // 8-bit quantisation noise (a flat floor near −48 dB) raises the centroid; the rest are exact.
      expect(Math.abs(r.features.spectralCentroidHz - reference.features.spectralCentroidHz), encoding).toBeLessThan(encoding === 'pcm8' ? 250 : 2);
      expect(r.features.tempoBpm, encoding).toBeCloseTo(reference.features.tempoBpm, 0);
      expect(Math.abs(r.emotion.valence - reference.emotion.valence), encoding).toBeLessThan(encoding === 'pcm8' ? 0.3 : 0.02);
    }
  });

  it('finds the data chunk past a header larger than one read chunk', async () => {
    const r = await analyseEncodedAudio(makeWav('pcm16', 16_000, 3, 300_000));
    expect(r.features.durationSeconds).toBeCloseTo(3, 2);
  });

  it('reports progress up to 1 and stops on an aborted signal', async () => {
    const fractions: number[] = [];
    await analyseEncodedAudio(makeWav('pcm16', 44_100, 5), { onProgress: (f) => fractions.push(f) });
    expect(fractions.at(-1)).toBe(1);
    const controller = new AbortController();
    controller.abort();
    await expect(analyseEncodedAudio(makeWav('pcm16', 44_100, 5), { signal: controller.signal })).rejects.toThrow();
  });
});

describe('format detection and refusals', () => {
  it('refuses M4A, ADTS AAC and unknown bytes with unsupported-format', async () => {
    const m4a = new Uint8Array([0, 0, 0, 0x20, ...[...'ftypM4A '].map((c) => c.charCodeAt(0)), 0, 0, 0, 0]);
    expect(() => detectEncodedFormat(m4a)).toThrow(expect.objectContaining({ code: 'unsupported-format' }));
    expect(() => detectEncodedFormat(new Uint8Array([0xff, 0xf1, 0x50, 0x80]))).toThrow(expect.objectContaining({ code: 'unsupported-format' }));
    await expect(analyseEncodedAudio(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).rejects.toMatchObject({ code: 'unsupported-format' });
  });

  it('gives corrupt-data for an MP3 with nothing decodable after its tag', async () => {
    const bytes = new Uint8Array(4096);
    bytes.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10]);
    await expect(analyseEncodedAudio(bytes)).rejects.toMatchObject({ code: 'corrupt-data' });
  });
});

describe('analyseEncodedAudio on compressed formats (ffmpeg fixtures)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'norae-decode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = join(dir, 'source.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=8:sample_rate=44100', '-f', 'lavfi', '-i', 'anoisesrc=d=8:c=pink:a=0.05:seed=1', '-filter_complex', 'amix=inputs=2:normalize=0', '-ac', '2', source]);
  const encode = (name: string, args: string[]): Uint8Array => {
    const path = join(dir, name);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', source, ...args, path]);
    return new Uint8Array(readFileSync(path));
  };

  it('decodes MP3, FLAC, Ogg Vorbis and Opus to the same analysis (within codec error)', async () => {
    const wav = await analyseEncodedAudio(new Uint8Array(readFileSync(source)));
    const cases: Array<[string, Uint8Array, string]> = [
      ['mp3', encode('a.mp3', ['-c:a', 'libmp3lame', '-b:a', '192k']), 'mp3'],
      ['flac', encode('a.flac', ['-c:a', 'flac']), 'flac'],
      ['ogg-vorbis', encode('a.ogg', ['-c:a', 'libvorbis', '-q:a', '6']), 'ogg'],
      ['ogg-opus', encode('a.opus', ['-c:a', 'libopus', '-b:a', '128k']), 'opus'],
    ];
    for (const [format, bytes, hint] of cases) {
      expect(detectEncodedFormat(bytes, hint)).toBe(format);
      const r = await analyseEncodedAudio(bytes, { formatHint: hint });
      expect(Math.abs(r.features.durationSeconds - 8), format).toBeLessThan(0.1);
      expect(Math.abs(r.features.spectralCentroidHz - wav.features.spectralCentroidHz), format).toBeLessThan(60);
      expect(Math.abs(r.features.rmsDb - wav.features.rmsDb), format).toBeLessThan(0.5);
      // Lossy codecs reshape the noise floor between partials (spectral contrast); on real music
      // the spread between WAV, FLAC, MP3 128k, Vorbis q4 and Opus 96k measured ≤ 0.09.
      expect(Math.abs(r.emotion.arousal - wav.emotion.arousal), format).toBeLessThan(0.15);
      expect(Math.abs(r.emotion.valence - wav.emotion.valence), format).toBeLessThan(0.15);
    }
    const flac = await analyseEncodedAudio(encode('b.flac', ['-c:a', 'flac']));
    expect(flac.emotion.valence).toBeCloseTo(wav.emotion.valence, 2);
  }, 60_000);

  it('refuses a real M4A', async () => {
    const m4a = encode('a.m4a', ['-c:a', 'aac', '-b:a', '96k']);
    await expect(analyseEncodedAudio(m4a, { formatHint: 'm4a' })).rejects.toMatchObject({ code: 'unsupported-format' });
  });
});

describe('analysePcm (PCM decoded elsewhere, e.g. decodeAudioData for M4A)', () => {
  it('matches analyseEncodedAudio on the same samples', async () => {
    const wav = makeWav('float32', 44_100, 5);
    const encoded = await analyseEncodedAudio(wav);
    const view = new DataView(wav.buffer, 44);
    const frames = (wav.length - 44) / 8;
    const left = new Float32Array(frames);
    const right = new Float32Array(frames);
    for (let f = 0; f < frames; f++) {
      left[f] = view.getFloat32(8 * f, true);
      right[f] = view.getFloat32(8 * f + 4, true);
    }
    const pcm = analysePcm([left, right], 44_100);
    expect(pcm.emotion.valence).toBeCloseTo(encoded.emotion.valence, 6);
    expect(pcm.emotion.arousal).toBeCloseTo(encoded.emotion.arousal, 6);
    expect(pcm.features.tempoBpm).toBeCloseTo(encoded.features.tempoBpm, 6);
    expect(pcm.timings.decodeMs).toBe(0);
    expect(() => analysePcm([], 44_100)).toThrow(expect.objectContaining({ code: 'too-short' }));
  });
});
