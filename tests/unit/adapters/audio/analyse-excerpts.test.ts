import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseBlobExcerpts, analysePcmExcerpts } from '../../../../src/adapters/audio/analyse-excerpts.ts';
import { extractEncodedFeatures } from '../../../../src/adapters/audio/encoded-features.ts';
import {
  findMp3FrameStart,
  id3v2Bytes,
  mp3ByteOffsetAt,
  parseMp3FrameHeader,
  readMp3Layout,
} from '../../../../src/core/audio/mp3-frames.ts';
import { ANALYSIS_SAMPLE_RATE_HZ } from '../../../../src/core/music/analysis-frame.ts';

/**
 * Excerpt analysis in Node (the wasm decoder path the worker falls back to; WebCodecs is the
 * browser's and is covered by the e2e import). MP3 fixtures are made with ffmpeg at test time,
 * as in encoded-audio.test.ts: without ffmpeg these fail rather than skip.
 *
 * The test signal is a 300 Hz tone with 1000 Hz exactly where the planner puts the excerpts of
 * a 96-s song (12–42 s and 54–84 s): the zero-crossing rate of what was analysed says where in
 * the file the decoded bytes came from (a tone crosses zero 2·f times a second).
 */
const dir = mkdtempSync(join(tmpdir(), 'norae-excerpts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXCERPT_TONE = 'if(between(t,12,42)+between(t,54,84),1000,300)';

function encode(name: string, seconds: number, codecArgs: string[], expression = EXCERPT_TONE, extra: string[] = []): Uint8Array<ArrayBuffer> {
  const out = join(dir, name);
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `aevalsrc=exprs='0.5*sin(2*PI*${expression}*t)':s=44100:d=${seconds}`,
    '-ac', '2', ...codecArgs, ...extra, out,
  ]);
  return Uint8Array.from(readFileSync(out));
}

const cbr = encode('cbr.mp3', 96, ['-c:a', 'libmp3lame', '-b:a', '128k'], EXCERPT_TONE, ['-metadata', 'title=Fixture', '-write_id3v1', '1']);
const vbr = encode('vbr.mp3', 96, ['-c:a', 'libmp3lame', '-q:a', '4']);
const toneHz = (zeroCrossingRate: number): number => (zeroCrossingRate * ANALYSIS_SAMPLE_RATE_HZ) / 2;

describe('MP3 frame headers', () => {
  it('parses an MPEG-1 layer III header (128 kbit/s, 44.1 kHz: 417 bytes, 1152 samples)', () => {
    const header = parseMp3FrameHeader(new Uint8Array([0xff, 0xfb, 0x90, 0x64]), 0);
    expect(header).toEqual({ version: 1, layer: 3, bitrateKbps: 128, sampleRateHz: 44_100, channelCount: 2, samplesPerFrame: 1152, frameBytes: 417 });
    // Padding adds a byte; mono is channel mode 3.
    expect(parseMp3FrameHeader(new Uint8Array([0xff, 0xfb, 0x92, 0xc4]), 0)).toMatchObject({ frameBytes: 418, channelCount: 1 });
  });

  it('refuses what is not a header: no sync, reserved version, free or bad bit rate, reserved rate', () => {
    for (const bytes of [[0xfe, 0xfb, 0x90, 0x64], [0xff, 0xeb, 0x90, 0x64], [0xff, 0xfb, 0x00, 0x64], [0xff, 0xfb, 0xf0, 0x64], [0xff, 0xfb, 0x9c, 0x64]]) {
      expect(parseMp3FrameHeader(new Uint8Array(bytes), 0)).toBeNull();
    }
  });

  it('finds the first frame of a chain, skipping a lone sync pattern in the data', () => {
    const frame = cbr.subarray(findMp3FrameStart(cbr, id3v2Bytes(cbr)));
    const noise = new Uint8Array([0x00, 0xff, 0xfb, 0x90, 0x64, 0x12, 0x34]);
    const joined = new Uint8Array([...noise, ...frame.subarray(0, 5000)]);
    expect(findMp3FrameStart(joined, 0)).toBe(noise.length);
  });
});

describe('readMp3Layout', { timeout: 30_000 }, () => {
  it('reads a CBR file’s length from its Info header, after the ID3v2 tag and before the ID3v1 tag', () => {
    const layout = readMp3Layout(cbr, cbr.length, true);
    expect(layout).not.toBeNull();
    expect(layout!.audioStartByte).toBe(id3v2Bytes(cbr));
    expect(layout!.audioEndByte).toBe(cbr.length - 128);
    expect(layout!.source).toBe('xing');
    // LAME's "Info" (CBR): seek by bytes, exactly, not by a TOC rounded to 1/256 of the file.
    expect(layout!.toc).toBeNull();
    expect(layout!.durationSeconds).toBeGreaterThan(95.9);
    expect(layout!.durationSeconds).toBeLessThan(96.2);
  });

  it('reads a VBR file’s length and table of contents from its Xing header', () => {
    const layout = readMp3Layout(vbr, vbr.length, false)!;
    expect(layout.source).toBe('xing');
    expect(layout.toc).toHaveLength(100);
    expect(layout.durationSeconds).toBeGreaterThan(95.9);
    expect(layout.durationSeconds).toBeLessThan(96.2);
  });

  it('gives a cut-off file the length of what is there, not what its header claims', () => {
    const half = cbr.subarray(0, Math.floor(cbr.length / 2));
    const layout = readMp3Layout(half, half.length, false)!;
    expect(layout.durationSeconds).toBeGreaterThan(46);
    expect(layout.durationSeconds).toBeLessThan(50);
  });

  it('falls back to the bit rate without an Info header, and seeks proportionally', () => {
    const plain = encode('plain.mp3', 40, ['-c:a', 'libmp3lame', '-b:a', '64k', '-write_xing', '0']);
    const layout = readMp3Layout(plain, plain.length, false)!;
    expect(layout.source).toBe('bitrate');
    expect(layout.durationSeconds).toBeGreaterThan(39.8);
    expect(layout.durationSeconds).toBeLessThan(40.3);
    const middle = mp3ByteOffsetAt(layout, layout.durationSeconds / 2);
    expect(Math.abs(middle - (layout.audioStartByte + layout.audioEndByte) / 2)).toBeLessThan(2);
  });

  it('is null for bytes with no frame chain', () => {
    expect(readMp3Layout(new Uint8Array(4096).fill(0x41), 4096, false)).toBeNull();
  });
});

describe('analyseBlobExcerpts', { timeout: 60_000 }, () => {
  it('decodes only the planned excerpts of a CBR MP3: what it analysed is the 1000-Hz part', async () => {
    let read = 0;
    const blob = new Blob([cbr]);
    const spy = { ...blob, size: blob.size, slice: (a?: number, b?: number) => ((read += (b ?? blob.size) - (a ?? 0)), blob.slice(a, b)) } as Blob;
    const result = await analyseBlobExcerpts(spy);
    expect(result.method).toBe('mp3-slices');
    // The Info header counts the encoder's padding frames too: 96.05 s, so 12.01 s and 54.02 s.
    expect(result.excerpts.map((e) => e.durationSeconds)).toEqual([30, 30]);
    expect(result.excerpts[0].startSeconds).toBeCloseTo(12, 1);
    expect(result.excerpts[1].startSeconds).toBeCloseTo(54, 1);
    expect(result.durationSeconds).toBeCloseTo(96, 0);
    expect(result.features.durationSeconds).toBeCloseTo(96, 0);
    expect(result.features.analysedSeconds).toBe(60);
    // The whole song would read ≈ 740 Hz; the excerpts are all 1000 Hz.
    expect(toneHz(result.features.zeroCrossingRate)).toBeGreaterThan(975);
    expect(toneHz(result.features.zeroCrossingRate)).toBeLessThan(1025);
    // Two 31-s byte ranges plus the head, not the 1.5-MB file.
    expect(read).toBeLessThan(0.75 * cbr.length);
  });

  it('seeks a VBR MP3 by its table of contents', async () => {
    const result = await analyseBlobExcerpts(new Blob([vbr]));
    expect(result.method).toBe('mp3-slices');
    expect(toneHz(result.features.zeroCrossingRate)).toBeGreaterThan(960);
    expect(toneHz(result.features.zeroCrossingRate)).toBeLessThan(1040);
  });

  it('measures a 30-s clip whole, exactly as the model’s training clips were measured', async () => {
    const clip = encode('clip.mp3', 30, ['-c:a', 'libmp3lame', '-b:a', '96k'], '440+200*floor(t/5)');
    const excerpts = await analyseBlobExcerpts(new Blob([clip]));
    const whole = await extractEncodedFeatures(clip);
    expect(excerpts.excerpts).toEqual([{ startSeconds: 0, durationSeconds: whole.features.analysedSeconds }]);
    expect(excerpts.features).toEqual(whole.features);
  });

  it('analyses only the excerpts of a stream-decoded format, planned from the claimed length', async () => {
    // WAV is read front to back (FLAC, Ogg and M4A are read in place: their own test files).
    const wav = encode('tone.wav', 96, ['-c:a', 'pcm_s16le']);
    const result = await analyseBlobExcerpts(new Blob([wav]), { durationHintSeconds: 96 });
    expect(result.method).toBe('stream');
    expect(result.excerpts.map((e) => e.startSeconds)).toEqual([12, 54]);
    expect(toneHz(result.features.zeroCrossingRate)).toBeGreaterThan(990);
    expect(toneHz(result.features.zeroCrossingRate)).toBeLessThan(1010);
    // Without a claimed length the whole song is analysed: the average of both tones.
    const whole = await analyseBlobExcerpts(new Blob([wav]));
    expect(whole.excerpts).toHaveLength(1);
    expect(toneHz(whole.features.zeroCrossingRate)).toBeLessThan(800);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(analyseBlobExcerpts(new Blob([cbr]), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('analysePcmExcerpts', { timeout: 30_000 }, () => {
  it('analyses the planned excerpts of decoded PCM (the browser-decoded formats)', () => {
    const rateHz = 22_050;
    const samples = new Float32Array(96 * rateHz);
    for (let i = 0; i < samples.length; i++) {
      const t = i / rateHz;
      const f = (t >= 12 && t <= 42) || (t >= 54 && t <= 84) ? 1000 : 300;
      samples[i] = 0.5 * Math.sin(2 * Math.PI * f * t);
    }
    const result = analysePcmExcerpts([samples], rateHz);
    expect(result.excerpts.map((e) => e.startSeconds)).toEqual([12, 54]);
    expect(result.durationSeconds).toBe(96);
    expect(toneHz(result.features.zeroCrossingRate)).toBeGreaterThan(990);
    expect(toneHz(result.features.zeroCrossingRate)).toBeLessThan(1010);
  });
});
