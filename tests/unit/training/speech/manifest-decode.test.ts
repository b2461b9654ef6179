import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeAudioDecoder, decodeWav } from '../../../../src/training/speech/decode-audio.ts';
import { csvField, parseCsv, readManifest } from '../../../../src/training/speech/manifest.ts';

function wav16(samples: number[], sampleRate: number, channels = 1): Uint8Array {
  const data = samples.length * 2;
  const view = new DataView(new ArrayBuffer(44 + data));
  const text = (offset: number, s: string) => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + data, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2 * channels, true);
  view.setUint16(32, 2 * channels, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, data, true);
  samples.forEach((v, i) => view.setInt16(44 + 2 * i, Math.round(v * 32767), true));
  return new Uint8Array(view.buffer);
}

describe('manifests', () => {
  it('parses quoted CSV fields and resolves files relative to the manifest', () => {
    expect(parseCsv('a,b\n"x, ""y""",2\r\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '2'],
    ]);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    const dir = mkdtempSync(join(tmpdir(), 'norae-manifest-'));
    writeFileSync(join(dir, 'm.csv'), 'file,label,speaker\nclips/one.wav,Happy,s1\nclips/two.wav,calm,\n');
    const rows = readManifest(join(dir, 'm.csv'));
    expect(rows[0]).toMatchObject({ file: 'clips/one.wav', path: join(dir, 'clips/one.wav'), label: 'happy', speaker: 's1' });
    expect(rows[1].speaker).toBe('');
  });

  it('refuses a manifest without file and label columns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'norae-manifest-'));
    writeFileSync(join(dir, 'm.csv'), 'path,emotion\nx.wav,happy\n');
    expect(() => readManifest(join(dir, 'm.csv'))).toThrow(/needs "file" and "label"/);
  });
});

describe('NodeAudioDecoder', () => {
  it('reads 16-bit WAV, downmixing stereo', async () => {
    const stereo = decodeWav(wav16([0.5, -0.5, 0.25, 0.25], 8000, 2));
    expect(stereo.sampleRate).toBe(8000);
    expect(stereo.channelData).toHaveLength(2);
    const dir = mkdtempSync(join(tmpdir(), 'norae-wav-'));
    writeFileSync(join(dir, 's.wav'), wav16([0.5, -0.5, 0.25, 0.25], 8000, 2));
    const decoder = new NodeAudioDecoder();
    const mono = await decoder.decodeFile(join(dir, 's.wav'));
    expect(mono.sampleRateHz).toBe(8000);
    expect(Array.from(mono.samples)).toEqual([expect.closeTo(0, 4), expect.closeTo(0.25, 4)]);
    decoder.free();
  });

  it('explains files it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'norae-wav-'));
    writeFileSync(join(dir, 'empty.wav'), new Uint8Array(4));
    const decoder = new NodeAudioDecoder();
    await expect(decoder.decodeFile(join(dir, 'empty.wav'))).rejects.toThrow(/too small/);
    decoder.free();
  });
});
