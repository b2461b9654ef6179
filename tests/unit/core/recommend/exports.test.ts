import { describe, expect, it } from 'vitest';
import { toCheckInCsv, toM3U8, toPlaylistJson, type PlaylistSong } from '../../../../src/core/recommend/exports.ts';
import { normaliseDistribution } from '../../../../src/core/emotion/emotions.ts';

const song = (n: number, extra: Partial<PlaylistSong> = {}): PlaylistSong => ({
  id: String(n).repeat(64).slice(0, 64),
  title: `Song ${n}`,
  artist: `Artist ${n}`,
  fileName: `${n}.mp3`,
  relativePath: `Album/${n}.mp3`,
  durationSeconds: 180.4,
  valence: 0.1 * n,
  arousal: -0.1 * n,
  reason: `because ${n}`,
  ...extra,
});

describe('playlist exports', () => {
  it('writes an extended M3U with durations, labels and imported paths', () => {
    expect(toM3U8([song(1), song(2, { artist: '', title: 'Line\nbreak' })], 'Lift me up')).toBe(
      '#EXTM3U\n#PLAYLIST:Lift me up\n#EXTINF:180,Artist 1 - Song 1\nAlbum/1.mp3\n#EXTINF:180,Line break\nAlbum/2.mp3\n',
    );
  });

  it('writes JSON with the journey and the reasons', () => {
    const doc = JSON.parse(
      toPlaylistJson([song(1)], { name: 'x', mode: 'lift-up', from: { valence: -0.5, arousal: -0.4 }, to: { valence: 0.7, arousal: 0.3 }, createdAt: new Date(0) }),
    );
    expect(doc).toMatchObject({ format: 'norae-playlist', version: 1, mode: 'lift-up', createdAt: '1970-01-01T00:00:00.000Z' });
    expect(doc.songs[0]).toMatchObject({ title: 'Song 1', reason: 'because 1', relativePath: 'Album/1.mp3' });
  });
});

describe('mood history CSV', () => {
  it('writes one quoted-as-needed row per check-in, oldest first', () => {
    const base = {
      modalities: ['voice' as const, 'face' as const],
      emotion: 'happy' as const,
      distribution: normaliseDistribution({ happy: 1 }),
      valence: 0.61234,
      arousal: 0.2,
      mood: 'pleasure' as const,
      confidence: 0.9,
      playedSongIds: ['a', 'b'],
    };
    const csv = toCheckInCsv([
      { ...base, id: 2000, mode: 'lift-up', modalities: ['voice', 'text'], words: '퇴근길, 너무 지쳤어' },
      { ...base, id: 1000, mode: 'say "hi", ok' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'time,modalities,emotion,valence,arousal,mood,confidence,mode,played_song_ids,words',
      '1970-01-01T00:00:01.000Z,voice face,happy,0.612,0.200,pleasure,0.900,"say ""hi"", ok",a b,',
      '1970-01-01T00:00:02.000Z,voice text,happy,0.612,0.200,pleasure,0.900,lift-up,a b,"퇴근길, 너무 지쳤어"',
      '',
    ]);
  });
});
