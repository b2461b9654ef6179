import { describe, expect, it } from 'vitest';
import { playlistSongs, toM3U8, toPlaylistJson, type PlaylistSong } from '../../../../src/core/recommend/playlist-export.ts';

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

  it('joins the playlist with the library: each song’s text and path, its place and its reason', () => {
    const library = new Map([['a', { title: 'Sunny', artist: 'Bright', fileName: 'sunny.mp3', relativePath: 'Summer/sunny.mp3', durationSeconds: 200 }]]);
    const entries = [
      { id: 'a', valence: 0.5, arousal: 0.2, step: 0 },
      { id: 'gone', valence: -0.1, arousal: 0.4, step: 1 },
    ];
    expect(playlistSongs(entries, library, (e) => `step ${e.step}`)).toEqual([
      { id: 'a', title: 'Sunny', artist: 'Bright', fileName: 'sunny.mp3', relativePath: 'Summer/sunny.mp3', durationSeconds: 200, valence: 0.5, arousal: 0.2, reason: 'step 0' },
      // A song deleted since the playlist was made keeps its place, with no text.
      { id: 'gone', title: '', artist: '', fileName: '', relativePath: '', durationSeconds: 0, valence: -0.1, arousal: 0.4, reason: 'step 1' },
    ]);
  });
});
