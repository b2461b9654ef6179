import { describe, expect, it } from 'vitest';
import { id3v2SizeBytes, sniffAudioFormat } from '../../../../src/core/library/audio-format.ts';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

/** An MPEG-1 Layer III frame header: 128 kbit/s, 44.1 kHz. */
const MP3_FRAME = [0xff, 0xfb, 0x90, 0x64];
const ADTS_FRAME = [0xff, 0xf1, 0x50, 0x80];

describe('sniffAudioFormat', () => {
  it.each([
    ['RIFF WAVE', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'wav'],
    ['FLAC', bytes('fLaC', [0, 0, 0, 34]), 'flac'],
    ['Ogg Opus', bytes('OggS', new Array(24).fill(0), 'OpusHead'), 'ogg-opus'],
    ['Ogg Vorbis', bytes('OggS', new Array(25).fill(0), 'vorbis'), 'ogg-vorbis'],
    ['M4A', bytes([0, 0, 0, 32], 'ftypM4A ', [0, 0, 0, 0]), 'm4a'],
    ['bare MP3 frame', bytes(MP3_FRAME), 'mp3'],
    ['ADTS AAC', bytes(ADTS_FRAME), 'aac'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x01]), 'webm'],
  ])('recognises %s', (_name, head, format) => {
    const result = sniffAudioFormat(head);
    expect(result).toMatchObject({ kind: 'audio', format, playable: true });
  });

  it('looks past an ID3v2 tag to the first frame', () => {
    const tagBody = new Array(20).fill(0x41);
    const head = bytes('ID3', [3, 0, 0, 0, 0, 0, 20], tagBody, MP3_FRAME);
    expect(id3v2SizeBytes(head)).toBe(30);
    expect(sniffAudioFormat(head)).toMatchObject({ kind: 'audio', format: 'mp3', mimeType: 'audio/mpeg' });
  });

  it('decodes the syncsafe ID3 size (7 bits a byte)', () => {
    expect(id3v2SizeBytes(bytes('ID3', [4, 0, 0, 0, 0, 1, 0x7f]))).toBe(10 + 255);
    expect(id3v2SizeBytes(bytes('ID3', [4, 0, 0x10, 0, 0, 0, 1]))).toBe(10 + 1 + 10); // footer flag
  });

  it.each([
    ['WMA', bytes([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]), 'wma'],
    ['AIFF', bytes('FORM', [0, 0, 0, 0], 'AIFF'), 'aiff'],
    ['APE', bytes('MAC ', [0x96, 0x0f]), 'ape'],
    ['MIDI', bytes('MThd', [0, 0, 0, 6]), 'midi'],
  ])('knows %s is audio Chromium cannot decode', (_name, head, format) => {
    expect(sniffAudioFormat(head)).toMatchObject({ kind: 'audio', format, playable: false });
  });

  it.each([
    ['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'png'],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'jpeg'],
    ['PDF', bytes('%PDF-1.7'), 'pdf'],
    ['ZIP', bytes('PK', [3, 4, 20, 0]), 'zip'],
    ['text', bytes('Hello, this is a text file.\n'), 'text'],
    ['MP4 video', bytes([0, 0, 0, 32], 'ftypavc1'), 'video-mp4'],
    ['random bytes', bytes([0x01, 0x02, 0x03, 0x00, 0x9f]), 'unknown'],
  ])('names non-audio: %s', (_name, head, format) => {
    expect(sniffAudioFormat(head)).toEqual({ kind: 'other', format });
  });

  it('reports an empty file', () => {
    expect(sniffAudioFormat(new Uint8Array())).toEqual({ kind: 'empty' });
  });

  it('does not take a reserved-bitrate sync word for MP3', () => {
    expect(sniffAudioFormat(bytes([0xff, 0xfb, 0xf0, 0x00])).kind).toBe('other');
  });
});
