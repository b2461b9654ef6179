import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, truncateSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Real audio files made with ffmpeg (installed by .ci/run) so the suite needs nothing from
 * ../shared: tagged MP3s with cover art, every container Chromium decodes, and each kind of bad
 * input the import must explain.
 */
export const FIXTURES_DIR = resolve(import.meta.dirname, '.fixtures');
/** Bump when the fixtures change so stale caches are rebuilt. */
const FIXTURES_VERSION = '11';

export const fixture = (name: string): string => join(FIXTURES_DIR, name);
export const BIG_FOLDER = fixture('big-folder');
export const BIG_FOLDER_AUDIO_FILES = 990;
export const BIG_FOLDER_SKIPPED_FILES = 10;

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
}

/** A 16-bit mono PCM WAV; `seed` changes the samples so every file hashes differently. */
export function wavBytes(durationSeconds: number, sampleRateHz: number, frequencyHz: number, seed = 0): Buffer {
  const samples = Math.round(durationSeconds * sampleRateHz);
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(sampleRateHz, 24);
  buffer.writeUInt32LE(sampleRateHz * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const v = Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz) * 0.3;
    buffer.writeInt16LE(Math.round(v * 32767) + (i === 0 ? seed % 1000 : 0), 44 + i * 2);
  }
  return buffer;
}

/**
 * The shared datasets, where .ci/run looks for them: $NORAE_DATASETS, ../shared/datasets beside
 * the checkout. Null when absent.
 */
export function datasetsDir(): string | null {
  for (const dir of [process.env.NORAE_DATASETS, resolve(import.meta.dirname, '../../../shared/datasets')]) {
    if (dir && existsSync(join(dir, 'speech'))) return dir;
  }
  return null;
}

/**
 * True when the tests may not run without the datasets: .ci/run sets NORAE_REQUIRE_DATASETS when
 * it finds them, so a test that needs a clip fails there instead of being skipped.
 */
export const DATASETS_REQUIRED = process.env.NORAE_REQUIRE_DATASETS === '1';

/**
 * A real recorded utterance from the shared speech datasets as a WAV for Chromium's fake
 * microphone: 16 kHz mono, 0.5 s of silence before and 3 s after (so a recording stops by
 * itself). Written to .fixtures (never committed: the corpora's licences forbid it). Throws when
 * the clip is missing.
 */
export function datasetSpeechFixture(relativePath: string): string {
  const dir = datasetsDir();
  const source = dir ? join(dir, 'speech', relativePath) : relativePath;
  if (!existsSync(source)) throw new Error(`speech clip ${relativePath} not found (datasets: ${dir ?? 'absent'})`);
  mkdirSync(FIXTURES_DIR, { recursive: true });
  const out = fixture(`dataset-${relativePath.replaceAll('/', '-').replace(/\.\w+$/, '')}.wav`);
  if (!existsSync(out)) {
    ffmpeg(['-f', 'lavfi', '-t', '0.5', '-i', 'anullsrc=r=16000:cl=mono', '-i', source, '-f', 'lavfi', '-t', '3', '-i', 'anullsrc=r=16000:cl=mono',
      '-filter_complex', '[1:a]aresample=16000,aformat=channel_layouts=mono[s];[0:a][s][2:a]concat=n=3:v=0:a=1', '-c:a', 'pcm_s16le', out]);
  }
  return out;
}

/**
 * Clearly emotional Korean sentences from the shared corpus (a speaker's happy and angry takes of
 * news sentences): the voice must read them as what they are, not "any emotion". Chosen among
 * clips the cross-validation models — which never heard this speaker — read right with
 * confidence; the shipped model trained on them, so these test the app's path from microphone to
 * reading, not accuracy (the model card has that).
 */
/**
 * Chromium flags for a granted fake microphone and/or camera that play the given files (audio
 * once, not looped, so a recording ends when the speaker does); `autoplay` lets playback start
 * without a gesture.
 */
export function fakeMedia(media: { audio?: string; video?: string; autoplay?: boolean }): string[] {
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    ...(media.audio ? [`--use-file-for-fake-audio-capture=${media.audio}%noloop`] : []),
    ...(media.video ? [`--use-file-for-fake-video-capture=${media.video}`] : []),
    ...(media.autoplay ? ['--autoplay-policy=no-user-gesture-required'] : []),
  ];
}

export const HAPPY_UTTERANCE = 'korean/emf/emf00104.flac';
export const ANGRY_UTTERANCE = 'korean/emf/emf00302.flac';

export function makeFixtures(): void {
  const stamp = join(FIXTURES_DIR, '.version');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === FIXTURES_VERSION) return;
  rmSync(FIXTURES_DIR, { recursive: true, force: true });
  mkdirSync(FIXTURES_DIR, { recursive: true });
  const f = fixture;
  const tone = (hz: number, seconds: number): string[] => ['-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${seconds}:sample_rate=44100`];

  // A cover picture and a tagged MP3 carrying it.
  ffmpeg(['-f', 'lavfi', '-i', 'color=c=0xff8fa8:s=300x300,drawbox=x=60:y=60:w=180:h=180:color=0x1a0f14:t=fill', '-frames:v', '1', f('cover.png')]);
  ffmpeg([
    ...tone(440, 6), '-i', f('cover.png'), '-map', '0:a', '-map', '1:v',
    '-c:a', 'libmp3lame', '-b:a', '128k', '-c:v', 'png', '-id3v2_version', '3',
    '-metadata', 'title=Morning Light', '-metadata', 'artist=Norae Test Band', '-metadata', 'album=Fixtures',
    '-metadata', 'track=1', '-metadata:s:v', 'title=Album cover', '-metadata:s:v', 'comment=Cover (front)',
    f('tagged.mp3'),
  ]);
  // No tags at all: title and artist must come from the file name.
  ffmpeg([...tone(523, 5), '-c:a', 'libmp3lame', '-b:a', '96k', '-map_metadata', '-1', '-write_xing', '1', f('02 - Fixture Artist - Evening Song.mp3')]);
  // Every other container Chromium decodes.
  ffmpeg([...tone(330, 3), '-c:a', 'pcm_s16le', '-metadata', 'title=Wave Tone', f('wave-tone.wav')]);
  ffmpeg([...tone(350, 3), '-c:a', 'libvorbis', '-metadata', 'title=Vorbis Tone', f('vorbis-tone.ogg')]);
  ffmpeg([...tone(370, 3), '-c:a', 'libopus', '-metadata', 'title=Opus Tone', f('opus-tone.opus')]);
  ffmpeg([...tone(390, 3), '-c:a', 'flac', '-metadata', 'title=Flac Tone', f('flac-tone.flac')]);
  ffmpeg([...tone(410, 3), '-c:a', 'aac', '-b:a', '96k', '-metadata', 'title=Aac Tone', f('aac-tone.m4a')]);
  // A longer song, for playback and for cutting short.
  ffmpeg([
    '-f', 'lavfi', '-i', 'sine=frequency=220:duration=30:sample_rate=44100', '-c:a', 'libmp3lame', '-b:a', '128k',
    '-metadata', 'title=Long Road', '-metadata', 'artist=Norae Test Band', f('long-road.mp3'),
  ]);

  // A click track at a known tempo (120 BPM: a 15 ms 1 kHz click every 0.5 s).
  ffmpeg([
    '-f', 'lavfi', '-i', "aevalsrc='if(lt(mod(t,0.5),0.015),0.8*sin(2*PI*1000*t),0)':s=22050:d=20",
    '-c:a', 'pcm_s16le', '-metadata', 'title=Click 120', f('click-120.wav'),
  ]);

  // Analysis edge cases: silence, a 2-second clip, odd rates and layouts, clipping, NaN samples,
  // and an hour-long file (bounded memory: it is decoded and analysed in a stream).
  writeFileSync(f('silence.wav'), wavBytes(5, 16000, 0));
  ffmpeg([...tone(600, 2), '-c:a', 'libmp3lame', '-b:a', '64k', '-metadata', 'title=Two Seconds', f('two-seconds.mp3')]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=300:duration=6:sample_rate=8000', '-ac', '1', '-c:a', 'pcm_s16le', '-metadata', 'title=Eight Kilohertz', f('8khz-mono.wav')]);
  ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=d=6:c=pink:r=96000:a=0.3', '-ac', '2', '-c:a', 'flac', '-metadata', 'title=Ninety-six Kilohertz', f('96khz-stereo.flac')]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=200:duration=6:sample_rate=44100', '-af', 'volume=12', '-c:a', 'pcm_s16le', '-metadata', 'title=Clipping', f('clipping.wav')]);
  {
    // 32-bit float WAV whose second half is NaN: a file that "decodes to NaNs".
    const rate = 16000;
    const n = rate * 4;
    const b = Buffer.alloc(44 + n * 4);
    b.write('RIFF', 0, 'ascii');
    b.writeUInt32LE(36 + n * 4, 4);
    b.write('WAVEfmt ', 8, 'ascii');
    b.writeUInt32LE(16, 16);
    b.writeUInt16LE(3, 20); // IEEE float
    b.writeUInt16LE(1, 22);
    b.writeUInt32LE(rate, 24);
    b.writeUInt32LE(rate * 4, 28);
    b.writeUInt16LE(4, 32);
    b.writeUInt16LE(32, 34);
    b.write('data', 36, 'ascii');
    b.writeUInt32LE(n * 4, 40);
    for (let i = 0; i < n; i++) b.writeFloatLE(i < n / 2 ? 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate) : Number.NaN, 44 + i * 4);
    writeFileSync(f('nan.wav'), b);
  }
  // Over the 60 MB line: only the worker's streaming decoders may read it (13 min of CD-rate mono).
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=262:duration=800:sample_rate=44100', '-ac', '1', '-c:a', 'pcm_s16le', '-metadata', 'title=Seventy Megabytes', f('seventy-mb.wav')]);
  // Over the import cap, and sparse: it takes no disk, and Norae must refuse it without reading it.
  writeFileSync(f('too-large.wav'), '');
  truncateSync(f('too-large.wav'), 501_000_000);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=330:duration=3600:sample_rate=22050', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '32k', '-metadata', 'title=One Hour', f('one-hour.mp3')]);
  // A 10-minute M4A (AAC, the moov after the audio): its frames found in the sample table.
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=311:duration=600:sample_rate=44100', '-ac', '1', '-c:a', 'aac', '-b:a', '64k', '-metadata', 'title=Ten Minutes Aac', f('ten-minutes.m4a')]);
  // A 10-minute FLAC: read in place, excerpt by excerpt (its length from STREAMINFO).
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=294:duration=600:sample_rate=22050', '-ac', '1', '-c:a', 'flac', '-metadata', 'title=Ten Minutes Flac', f('ten-minutes.flac')]);
  // 10-minute Ogg Vorbis and Opus: read in place, page by page (their length from the last page).
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=277:duration=600:sample_rate=44100', '-ac', '1', '-c:a', 'libvorbis', '-q:a', '0', '-metadata', 'title=Ten Minutes Vorbis', f('ten-minutes.ogg')]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=262:duration=600:sample_rate=48000', '-ac', '1', '-c:a', 'libopus', '-b:a', '24k', '-metadata', 'title=Ten Minutes Opus', f('ten-minutes.opus')]);

  // Speech for the voice panel: a synthetic voice (espeak-ng) padded with silence so a recording
  // through Chromium's fake microphone stops by itself. A real emotional utterance from RAVDESS
  // is used too when the shared datasets are present (never copied into the repository).
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', f('speech-raw.wav'), 'I cannot believe you did that again. This is the third time this week, and I am really tired of it.']);
  ffmpeg(['-f', 'lavfi', '-t', '0.5', '-i', 'anullsrc=r=16000:cl=mono', '-i', f('speech-raw.wav'), '-f', 'lavfi', '-t', '3', '-i', 'anullsrc=r=16000:cl=mono',
    '-filter_complex', '[1:a]aresample=16000,aformat=channel_layouts=mono[s];[0:a][s][2:a]concat=n=3:v=0:a=1', '-c:a', 'pcm_s16le', f('speech.wav')]);
  ffmpeg(['-i', f('speech-raw.wav'), '-t', '0.4', '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', f('speech-short.wav')]);

  // Faces: photos from face-api's own demo folder (MIT, installed with the package, never
  // committed). A crop of one laughing face becomes the fake camera's video.
  const demo = resolve(import.meta.dirname, '../../node_modules/@vladmandic/face-api/demo');
  ffmpeg(['-i', join(demo, 'sample1.jpg'), '-vf', 'crop=720:540:1180:40,scale=640:480', f('happy-face.png')]);
  ffmpeg(['-loop', '1', '-i', f('happy-face.png'), '-t', '2', '-r', '10', '-pix_fmt', 'yuv420p', f('happy-face.y4m')]);
  ffmpeg(['-i', join(demo, 'sample5.jpg'), '-q:v', '3', f('five-people.jpg')]);
  ffmpeg(['-i', join(demo, 'sample1.jpg'), '-vf', 'scale=8660:5774', '-q:v', '4', f('fifty-megapixels.jpg')]);
  ffmpeg(['-f', 'lavfi', '-i', 'color=c=black:s=640x480', '-frames:v', '1', f('black.png')]);
  // A cartoon: a yellow smiley drawn with boxes, the kind of face no face detector should take.
  ffmpeg([
    '-f', 'lavfi', '-i', 'color=c=white:s=400x400', '-frames:v', '1', '-vf',
    'drawbox=x=60:y=60:w=280:h=280:color=yellow:t=fill,drawbox=x=130:y=140:w=40:h=40:color=black:t=fill,drawbox=x=230:y=140:w=40:h=40:color=black:t=fill,drawbox=x=130:y=250:w=140:h=20:color=black:t=fill',
    f('cartoon.png'),
  ]);

  // Bad input.
  const long = readFileSync(f('long-road.mp3'));
  writeFileSync(f('truncated.mp3'), long.subarray(0, Math.floor(long.length * 0.4)));
  writeFileSync(f('empty.mp3'), Buffer.alloc(0));
  writeFileSync(f('picture.mp3'), readFileSync(f('cover.png'))); // a PNG wearing an .mp3 name
  writeFileSync(f('notes.txt'), 'Not music, just words.\n');
  // An ID3 tag followed by noise: looks like an MP3, holds no decodable frame.
  const id3 = Buffer.from([0x49, 0x44, 0x33, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  const noise = Buffer.alloc(20_000);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 251 === 0 ? 0 : (i * 31 + 7) % 97;
  writeFileSync(f('corrupt.mp3'), Buffer.concat([id3, noise]));
  // Windows Media Audio: a real audio format Chromium does not decode.
  ffmpeg([...tone(300, 2), '-c:a', 'wmav2', f('windows-media.wma')]);

  // A folder of 1,000 files: 990 distinct tiny songs and 10 that are clearly not music.
  const big = BIG_FOLDER;
  for (let disc = 0; disc < 3; disc++) mkdirSync(join(big, `Disc ${disc + 1}`), { recursive: true });
  for (let i = 0; i < BIG_FOLDER_AUDIO_FILES; i++) {
    const dir = join(big, `Disc ${(i % 3) + 1}`);
    writeFileSync(join(dir, `${String(i + 1).padStart(4, '0')} Tiny Song ${i + 1}.wav`), wavBytes(0.1, 8000, 300 + (i % 50) * 10, i + 1));
  }
  for (let i = 0; i < BIG_FOLDER_SKIPPED_FILES; i++) writeFileSync(join(big, `Disc 1`, `cover-${i}.jpg`), Buffer.from([0xff, 0xd8, 0xff, i]));

  writeFileSync(stamp, FIXTURES_VERSION);
}
