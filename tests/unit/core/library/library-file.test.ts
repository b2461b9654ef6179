import { describe, expect, it } from 'vitest';
import {
  LIBRARY_FILE_VERSION,
  MAX_LIBRARY_FILE_SONGS,
  parseLibraryFile,
  planLibraryMerge,
  toLibraryFile,
} from '../../../../src/core/library/library-file.ts';
import { songRecord } from './song-fixture.ts';

describe('library file', () => {
  const songs = [songRecord({ id: 'a'.repeat(64), title: 'One' }), songRecord({ id: 'b'.repeat(64), title: 'Two', hasArtwork: true })];

  it('round-trips song metadata and never carries audio or local state', () => {
    const file = toLibraryFile(songs, new Date('2026-01-02T03:04:05Z'));
    expect(file).toMatchObject({ format: 'norae-library', version: LIBRARY_FILE_VERSION, exportedAt: '2026-01-02T03:04:05.000Z' });
    expect(file.songs[1]).not.toHaveProperty('hasArtwork');
    const parsed = parseLibraryFile(JSON.stringify(file));
    expect(parsed).toEqual({ ok: true, skipped: 0, songs: file.songs });
  });

  it('skips broken or repeated entries instead of failing the file', () => {
    const text = JSON.stringify({
      format: 'norae-library',
      version: 1,
      songs: [{ id: 'not-an-id', title: 'x' }, { id: 'c'.repeat(64), title: 'Ok', durationSeconds: -5 }, { id: 'c'.repeat(64), title: 'Again' }, null],
    });
    const parsed = parseLibraryFile(text);
    expect(parsed.ok && parsed.songs.map((s) => [s.title, s.durationSeconds])).toEqual([['Ok', 0]]);
    expect(parsed.ok && parsed.skipped).toBe(3);
  });

  it('says why a file cannot be read', () => {
    expect(parseLibraryFile('{oops')).toEqual({ ok: false, problem: { code: 'not-json' } });
    expect(parseLibraryFile('{"songs": []}')).toEqual({ ok: false, problem: { code: 'wrong-format' } });
    expect(parseLibraryFile('[1,2]')).toEqual({ ok: false, problem: { code: 'wrong-format' } });
    expect(parseLibraryFile(JSON.stringify({ format: 'norae-library', version: 99, songs: [] }))).toEqual({
      ok: false,
      problem: { code: 'newer-version', version: 99 },
    });
  });
});

describe('library file merge plan', () => {
  const here = songRecord({ id: 'a'.repeat(64), title: 'Morning Light', artist: 'Band' });
  const same = songRecord({ id: 'b'.repeat(64), title: 'Evening', artist: 'Band' });
  const current = new Map([here, same].map((s) => [s.id, s]));

  it('separates songs to add, songs whose text would change (both versions) and songs already as described', () => {
    const file = toLibraryFile([{ ...here, title: 'Morning Light (Live)' }, same, songRecord({ id: 'c'.repeat(64), title: 'Elsewhere' })], new Date(0));
    const parsed = parseLibraryFile(JSON.stringify(file));
    if (!parsed.ok) throw new Error('unreadable');
    const plan = planLibraryMerge(current, parsed.songs, parsed.skipped);
    expect(plan.additions.map((s) => s.title)).toEqual(['Elsewhere']);
    expect(plan.changes).toEqual([
      { id: here.id, before: expect.objectContaining({ title: 'Morning Light', artist: 'Band' }), after: expect.objectContaining({ title: 'Morning Light (Live)', artist: 'Band' }) },
    ]);
    expect(plan.unchanged).toBe(1);
    expect(plan.skipped).toBe(0);
  });

  it('reads at most MAX_LIBRARY_FILE_SONGS songs and counts the rest as skipped', () => {
    const songs = Array.from({ length: MAX_LIBRARY_FILE_SONGS + 3 }, (_, i) => ({ id: i.toString(16).padStart(64, '0'), title: `S${i}` }));
    const parsed = parseLibraryFile(JSON.stringify({ format: 'norae-library', version: 1, exportedAt: '', songs }));
    expect(parsed).toMatchObject({ ok: true, skipped: 3 });
    if (parsed.ok) expect(parsed.songs).toHaveLength(MAX_LIBRARY_FILE_SONGS);
  });
});
