import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CountingBlob } from './counting-blob.ts';
import { analyseBlobExcerpts, analysePcmExcerpts } from '../../../../src/adapters/audio/analyse-excerpts.ts';
import { createDecoder, OPUS_DECODE_RATE_HZ } from '../../../../src/adapters/audio/compressed-decode.ts';
import { readOggLayout, seekOggPage } from '../../../../src/adapters/audio/ogg-excerpts.ts';
import { findOggPage, oggPagesIn, parseOggPage } from '../../../../src/core/audio/ogg-pages.ts';
import { ANALYSIS_SAMPLE_RATE_HZ } from '../../../../src/core/music/analysis-frame.ts';

/**
 * Ogg Vorbis and Opus excerpts read in place (Node, the wasm decoders the worker uses). Fixtures
 * are made with ffmpeg at test time (without it these fail rather than skip): a 240-s tone at
 * 300 Hz with 1000 Hz exactly where the planner puts a 4-minute song's three excerpts, so the
 * zero-crossing rate of what was analysed says where in the file the decoded pages came from
 * (a 1-s error in seeking moves it by about 23 Hz).
 */
const dir = mkdtempSync(join(tmpdir(), 'norae-ogg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SONG_SECONDS = 240;
const TONE = 'if(between(t,37.5,67.5)+between(t,105,135)+between(t,172.5,202.5),1000,300)';

function oggFixture(name: string, codec: string[], rateHz: number): Uint8Array<ArrayBuffer> {
  const out = join(dir, name);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc=exprs='0.5*sin(2*PI*${TONE}*t)':s=${rateHz}:d=${SONG_SECONDS}`, '-ac', '2', ...codec, out]);
  return Uint8Array.from(readFileSync(out));
}

const FILES = {
  'ogg-vorbis': oggFixture('song.ogg', ['-c:a', 'libvorbis', '-q:a', '4'], 44_100),
  'ogg-opus': oggFixture('song.opus', ['-c:a', 'libopus', '-b:a', '96k'], 48_000),
} as const;
const toneHz = (zeroCrossingRate: number): number => (zeroCrossingRate * ANALYSIS_SAMPLE_RATE_HZ) / 2;
const reader = (bytes: Uint8Array) => async (a: number, b: number) => bytes.subarray(a, b);

describe('Ogg pages', () => {
  it('reads page headers, checks their CRC, and finds pages mid-file', () => {
    const ogg = FILES['ogg-vorbis'];
    const first = parseOggPage(ogg, 0)!;
    expect(first).toMatchObject({ offset: 0, beginsStream: true, granulePosition: 0, sequence: 0 });
    const middle = findOggPage(ogg, Math.floor(ogg.length / 2))!;
    expect(middle.serial).toBe(first.serial);
    expect(middle.granulePosition).toBeGreaterThan(0.3 * SONG_SECONDS * 44_100);
    // One changed byte in the body: the CRC refuses the page.
    const damaged = ogg.slice(middle.offset, middle.offset + middle.pageBytes);
    damaged[damaged.length - 1] ^= 1;
    expect(parseOggPage(damaged, 0)).toBeNull();
    const pages = oggPagesIn(ogg, 0, first.serial);
    expect(pages.at(-1)!.endsStream).toBe(true);
    expect(pages.every((p, i) => p.sequence === i)).toBe(true);
  });
});

describe.each(Object.entries(FILES))('%s excerpts', (format, bytes) => {
  const oggFormat = format as keyof typeof FILES;

  it('knows the length from the last page and seeks to a page at most 1.5 s before a wanted time', async () => {
    const layout = (await readOggLayout(bytes.subarray(0, 64 * 1024), bytes.length, oggFormat, reader(bytes)))!;
    expect(layout.durationSeconds).toBeCloseTo(SONG_SECONDS, 2);
    for (const seconds of [10, 37.2, 104.7, 172.2, 230]) {
      const found = await seekOggPage(layout, seconds, reader(bytes));
      expect(found.seconds).toBeLessThanOrEqual(seconds);
      expect(seconds - found.seconds).toBeLessThanOrEqual(1.5);
      expect(parseOggPage(bytes, found.byte)).not.toBeNull();
    }
  });

  it('decodes only the excerpts: the right seconds, little more of the file read than they span', { timeout: 60_000 }, async () => {
    const blob = new CountingBlob([bytes]);
    const result = await analyseBlobExcerpts(blob);
    expect(result.method).toBe('ogg-slices');
    expect(result.durationSeconds).toBeCloseTo(SONG_SECONDS, 2);
    expect(result.excerpts.map((e) => e.startSeconds)).toEqual([37.5, 105, 172.5]);
    for (const e of result.excerpts) expect(e.durationSeconds).toBeCloseTo(30, 1);
    expect(toneHz(result.features.zeroCrossingRate)).toBeGreaterThan(990);
    expect(toneHz(result.features.zeroCrossingRate)).toBeLessThan(1010);
    // The excerpts' pages are 37 % (Vorbis) and 42 % (Opus) of these files' bytes. The fixed
    // reads — the 64-KB head, a 16-KB tail, three 16-KB seek probes — add ≈ 150 KB, 23 % of the
    // small (640-KB) Vorbis file, 4 % of the Opus one. A whole read would be 100 %.
    expect(blob.bytesRead / bytes.length).toBeLessThan(0.65);
  });

  it('reads the same as decoding the whole file', { timeout: 60_000 }, async () => {
    const decoder = await createDecoder(oggFormat);
    await decoder.ready;
    const whole = await decoder.decode(bytes);
    const rest = decoder.flush ? await decoder.flush() : null;
    decoder.free();
    const channels = whole.channelData.map((c, i) => Float32Array.from([...c.subarray(0, whole.samplesDecoded), ...(rest ? rest.channelData[i].subarray(0, rest.samplesDecoded) : [])]));
    const reference = analysePcmExcerpts(channels, whole.sampleRate);
    const slices = await analyseBlobExcerpts(new Blob([bytes]));
    expect(slices.excerpts.map((e) => e.startSeconds)).toEqual(reference.excerpts.map((e) => e.startSeconds));
    // The same samples from another page on: only the resampler's phase and the codec's
    // first overlap after the jump (inside the dropped pre-roll) differ.
    for (const name of ['zeroCrossingRate', 'rmsDb', 'spectralCentroidHz', 'loudnessLufs', 'mfcc1Mean'] as const) {
      expect(Math.abs(slices.features[name] - reference.features[name]), name).toBeLessThan(0.002 * Math.abs(reference.features[name]));
    }
  });
});

describe('Ogg files read as one stream', () => {
  it('a file cut short of its last page is still read by excerpts up to what is there', async () => {
    const ogg = FILES['ogg-vorbis'];
    const cut = ogg.subarray(0, Math.floor(ogg.length * 0.6));
    const result = await analyseBlobExcerpts(new Blob([cut]));
    expect(result.method).toBe('ogg-slices');
    expect(result.durationSeconds).toBeGreaterThan(120);
    expect(result.durationSeconds).toBeLessThan(160);
  });

  it('Opus is decoded by libopus straight to 12 kHz (less to decode and resample than 48 kHz)', async () => {
    const decoder = await createDecoder('ogg-opus');
    await decoder.ready;
    const decoded = await decoder.decode(FILES['ogg-opus']);
    const rest = decoder.flush ? await decoder.flush() : null;
    decoder.free();
    expect(decoded.sampleRate).toBe(OPUS_DECODE_RATE_HZ);
    expect(OPUS_DECODE_RATE_HZ).toBe(12_000);
    expect((decoded.samplesDecoded + (rest?.samplesDecoded ?? 0)) / 12_000).toBeCloseTo(SONG_SECONDS, 1);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(analyseBlobExcerpts(new Blob([FILES['ogg-opus']]), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
