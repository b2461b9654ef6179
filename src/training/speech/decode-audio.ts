import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { downmixToMono } from '../../core/audio/downmix.ts';

/** Decoded mono audio. */
export interface MonoAudio {
  samples: Float32Array;
  sampleRateHz: number;
}

type Decoded = { channelData: Float32Array[]; samplesDecoded: number; sampleRate: number };

/** Reads a RIFF/WAVE file: PCM 8/16/24/32-bit and IEEE float 32/64, any channel count. */
export function decodeWav(bytes: Uint8Array): Decoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let offset = 12;
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      if (!channels || !sampleRate) throw new Error('WAV data before its fmt chunk');
      const bytesPerSample = bits / 8;
      const available = Math.min(size, bytes.length - body);
      const frames = Math.floor(available / (bytesPerSample * channels));
      const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < channels; c++) {
          const at = body + (i * channels + c) * bytesPerSample;
          let v: number;
          if (format === 3 && bits === 32) v = view.getFloat32(at, true);
          else if (format === 3 && bits === 64) v = view.getFloat64(at, true);
          else if (format === 1 && bits === 16) v = view.getInt16(at, true) / 32768;
          else if (format === 1 && bits === 8) v = (view.getUint8(at) - 128) / 128;
          else if (format === 1 && bits === 24) v = ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
          else if (format === 1 && bits === 32) v = view.getInt32(at, true) / 2147483648;
          else throw new Error(`unsupported WAV encoding (format ${format}, ${bits} bits)`);
          channelData[c][i] = v;
        }
      }
      return { channelData, samplesDecoded: frames, sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

/** Decodes anything else with ffmpeg, when it is installed (m4a/AAC, WebM, …). */
function decodeWithFfmpeg(path: string): Decoded {
  const result = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-ac', '1', '-f', 'f32le', '-acodec', 'pcm_f32le', '-ar', '16000', '-'], {
    maxBuffer: 1 << 30,
  });
  if (result.error) throw new Error(`no decoder for this format here (ffmpeg: ${result.error.message})`);
  if (result.status !== 0) throw new Error(`ffmpeg could not decode it: ${result.stderr.toString().trim().split('\n').pop() ?? ''}`);
  const out = result.stdout;
  const samples = new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength - (out.byteLength % 4)));
  return { channelData: [samples], samplesDecoded: samples.length, sampleRate: 16000 };
}

/**
 * Decodes audio files in Node with the same wasm decoders the app ships for song analysis
 * (FLAC, MP3, Ogg Vorbis, Ogg Opus) and a WAV reader; other formats go through ffmpeg when it
 * is installed. Chooses by magic bytes, not extension. Decoders are created once and reused.
 */
export class NodeAudioDecoder {
  private flac: FLACDecoder | null = null;
  private vorbis: OggVorbisDecoder | null = null;
  private opus: OggOpusDecoder | null = null;

  async decodeFile(path: string): Promise<MonoAudio> {
    const bytes = new Uint8Array(readFileSync(path));
    if (bytes.length < 12) throw new Error(`file is ${bytes.length} bytes: too small to be audio`);
    const head = String.fromCharCode(...bytes.subarray(0, 4));
    let decoded: Decoded;
    if (head === 'RIFF') decoded = decodeWav(bytes);
    else if (head === 'fLaC') {
      this.flac ??= new FLACDecoder();
      await this.flac.ready;
      decoded = await this.flac.decodeFile(bytes);
      await this.flac.reset();
    } else if (head === 'OggS') {
      const isOpus = bytes.subarray(28, 36).every((b, i) => b === 'OpusHead'.charCodeAt(i));
      if (isOpus) {
        this.opus ??= new OggOpusDecoder();
        await this.opus.ready;
        decoded = await this.opus.decodeFile(bytes);
        await this.opus.reset();
      } else {
        this.vorbis ??= new OggVorbisDecoder();
        await this.vorbis.ready;
        decoded = await this.vorbis.decodeFile(bytes);
        await this.vorbis.reset();
      }
    } else if (head.startsWith('ID3') || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) {
      const mpeg = new MPEGDecoder();
      await mpeg.ready;
      try {
        decoded = mpeg.decode(bytes);
      } finally {
        mpeg.free();
      }
    } else decoded = decodeWithFfmpeg(path);
    if (decoded.samplesDecoded === 0 || decoded.channelData.length === 0) throw new Error('decoded no audio');
    const mono = downmixToMono(decoded.channelData, decoded.samplesDecoded);
    return { samples: mono, sampleRateHz: decoded.sampleRate };
  }

  free(): void {
    this.flac?.free();
    this.vorbis?.free();
    this.opus?.free();
    this.flac = this.vorbis = this.opus = null;
  }
}
