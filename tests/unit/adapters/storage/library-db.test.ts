import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { LIBRARY_DB_VERSION, READ_PAGE_RECORDS, openLibraryDb } from '../../../../src/adapters/storage/library-db.ts';
import { songRecord } from '../../core/library/song-fixture.ts';

let dbCounter = 0;
const freshName = (): string => `norae-test-${++dbCounter}`;

describe('LibraryDb', () => {
  it('upgrades a version-1 database: covers move out of song records, nothing is lost', async () => {
    const name = freshName();
    // Write data the way version 1 did.
    (await openLibraryDb({ name, version: 1 })).close();
    const v1 = await openDB(name, 1);
    const cover = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });
    const { hasArtwork: _a, warning: _w, hasAudio: _h, ...v1Fields } = songRecord({ id: 'a'.repeat(64), title: 'With cover' });
    await v1.put('songs', { ...v1Fields, artwork: { mimeType: 'image/png', data: cover } });
    await v1.put('songs', { ...songRecord({ id: 'b'.repeat(64), title: 'No cover' }), hasArtwork: undefined, warning: undefined, hasAudio: undefined });
    await v1.put('audio', { id: 'a'.repeat(64), blob: new Blob([new Uint8Array(10)]) });
    await v1.put('audio', { id: 'b'.repeat(64), blob: new Blob([new Uint8Array(20)]) });
    v1.close();

    const db = await openLibraryDb({ name });
    const songs = await db.listSongs();
    expect(songs.map((s) => [s.title, s.hasArtwork, s.hasAudio, s.warning])).toEqual([
      ['With cover', true, true, null],
      ['No cover', false, true, null],
    ]);
    expect(songs[0]).not.toHaveProperty('artwork');
    const art = await db.getArtwork('a'.repeat(64));
    expect(art?.thumb).toBeNull();
    expect(new Uint8Array(await (art?.full as Blob).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect((await db.getAudio('b'.repeat(64)))?.size).toBe(20);
    expect(await db.countAudio()).toBe(2);
    db.close();
    expect((await openDB(name)).version).toBe(LIBRARY_DB_VERSION);
  });

  it('stores a song with its audio and artwork together, and deletes them together', async () => {
    const db = await openLibraryDb({ name: freshName() });
    const song = songRecord({ id: 'c'.repeat(64), addedAt: 2 });
    await db.putSong(song, new Blob(['audio']), { full: new Blob(['big']), thumb: new Blob(['small']) });
    await db.putSong(songRecord({ id: 'd'.repeat(64), addedAt: 1 }), new Blob(['x']), null);
    expect((await db.listSongs()).map((s) => s.id)).toEqual(['d'.repeat(64), 'c'.repeat(64)]); // oldest first
    expect((await db.getSong(song.id))?.hasArtwork).toBe(true);
    expect(await (await db.getAudio(song.id))?.text()).toBe('audio');
    await db.deleteSongs([song.id]);
    expect(await db.getSong(song.id)).toBeUndefined();
    expect(await db.getAudio(song.id)).toBeUndefined();
    expect(await db.getArtwork(song.id)).toBeUndefined();
    expect(await db.countAudio()).toBe(1);
    db.close();
  });

  it('reads a library of more than one page whole, oldest first, every analysis with it', async () => {
    const db = await openLibraryDb({ name: freshName() });
    const count = READ_PAGE_RECORDS * 2 + 7;
    for (let i = 0; i < count; i++) {
      // Ids in the reverse of the order added, and two songs per addedAt: the sort must use both.
      const id = (count - i).toString(16).padStart(64, '0');
      await db.putSong(songRecord({ id, addedAt: Math.floor(i / 2) }), new Blob(['a']), null, {
        id, analyserVersion: 'test', analysedAt: 0, status: 'ok', features: null, emotion: null, bpm: i, error: null,
      });
    }
    const songs = await db.listSongs();
    expect(songs).toHaveLength(count);
    expect(new Set(songs.map((s) => s.id)).size).toBe(count);
    for (let i = 1; i < count; i++) {
      const [a, b] = [songs[i - 1], songs[i]];
      expect(a.addedAt < b.addedAt || (a.addedAt === b.addedAt && a.id < b.id)).toBe(true);
    }
    const analyses = await db.listAnalyses();
    expect(analyses.map((a) => a.bpm).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: count }, (_, i) => i));
    db.close();
  });

  it('merges an imported library: known songs get the exported text, unknown ones wait for their audio', async () => {
    const db = await openLibraryDb({ name: freshName() });
    await db.putSong(songRecord({ id: 'e'.repeat(64), title: 'Old title' }), new Blob(['a']), null);
    const result = await db.mergeMetadata(
      [songRecord({ id: '1'.repeat(64), title: 'Elsewhere' }), songRecord({ id: 'e'.repeat(64), title: 'Not an addition: it is here' })],
      [{ id: 'e'.repeat(64), title: 'New title', artist: 'Someone' }],
    );
    expect(result).toEqual({ updated: 1, added: 1 });
    expect(await db.getSong('e'.repeat(64))).toMatchObject({ title: 'New title', artist: 'Someone', hasAudio: true });
    expect(await db.getSong('1'.repeat(64))).toMatchObject({ title: 'Elsewhere', hasAudio: false });
    db.close();
  });

  it('keeps the personal stores: voice profile, feedback, mood history', async () => {
    const name = freshName();
    (await openLibraryDb({ name, version: 3 })).close();
    const db = await openLibraryDb({ name });
    await db.putVoiceProfile({ id: 'voice', stats: { n: 1 }, recordings: 2, calibrated: true, updatedAt: 5 });
    expect(await db.getVoiceProfile()).toMatchObject({ recordings: 2, calibrated: true });
    await db.deleteVoiceProfile();
    expect(await db.getVoiceProfile()).toBeUndefined();
    const song = songRecord({ id: '2'.repeat(64) });
    await db.putSong(song, new Blob(['a']), null);
    await db.putFeedback({ id: song.id, liked: true, skips: 1, placement: { valence: 0.1, arousal: 0.2 }, updatedAt: 1 });
    expect(await db.listFeedback()).toHaveLength(1);
    await db.deleteSongs([song.id]);
    expect(await db.listFeedback()).toHaveLength(0); // feedback goes with its song
    const checkIn = {
      id: 1000, modalities: ['voice' as const], emotion: 'happy' as const,
      distribution: { neutral: 0, happy: 1, sad: 0, angry: 0, fearful: 0, disgust: 0, surprised: 0, contempt: 0 },
      valence: 0.8, arousal: 0.1, mood: 'pleasure' as const, confidence: 0.9, mode: 'match', playedSongIds: [],
    };
    await db.putCheckIn(checkIn);
    await db.putCheckIn({ ...checkIn, id: 500 });
    expect((await db.listCheckIns()).map((c) => c.id)).toEqual([500, 1000]);
    await db.clearMoodHistory();
    expect(await db.listCheckIns()).toEqual([]);
    db.close();
  });

  it('upgrades a version-4 database to sessions: songs, audio, analyses, feedback and history are kept', async () => {
    const name = freshName();
    const old = await openLibraryDb({ name, version: 4 });
    const song = songRecord({ id: '3'.repeat(64), title: 'Kept' });
    await old.putSong(song, new Blob(['audio bytes']), null);
    await old.putFeedback({ id: song.id, liked: true, skips: 2, placement: null, updatedAt: 7 });
    const checkIn = {
      id: 2000, modalities: ['face' as const], emotion: 'sad' as const,
      distribution: { neutral: 0, happy: 0, sad: 1, angry: 0, fearful: 0, disgust: 0, surprised: 0, contempt: 0 },
      valence: -0.6, arousal: -0.3, mood: 'depression' as const, confidence: 0.7, mode: 'lift-up', playedSongIds: [song.id],
    };
    await old.putCheckIn(checkIn);
    old.close();
    const before = await openDB(name);
    expect([...before.objectStoreNames]).not.toContain('sessions');
    before.close();

    const db = await openLibraryDb({ name });
    expect(await db.listSongs()).toEqual([expect.objectContaining({ id: song.id, title: 'Kept' })]);
    expect(await (await db.getAudio(song.id))?.text()).toBe('audio bytes');
    expect(await db.listFeedback()).toEqual([expect.objectContaining({ id: song.id, liked: true, skips: 2 })]);
    expect(await db.listCheckIns()).toEqual([checkIn]);
    expect(await db.listSessions()).toEqual([]);

    const session = {
      id: 3000, checkInId: 2000, start: { valence: -0.6, arousal: -0.3 }, startSource: 'sensors' as const, startConfidence: 0.7,
      mode: 'lift-up' as const, target: { valence: 0.75, arousal: 0.35 }, strategy: 'gradual' as const, chosenBy: 'exploring' as const,
      path: [song.id], played: [song.id], skipped: [], liked: [], disliked: [], endedAt: 3500,
      outcome: { end: { valence: 0, arousal: 0 }, source: 'said' as const, at: 3600, progress: 0.5, endDistance: 0.8, startDistance: 1.5 },
      rechecks: [], dismissed: false,
    };
    await db.putSession(session);
    expect(await db.listSessions()).toEqual([session]);
    // Deleting the mood history removes check-ins and sessions together, and nothing else.
    await db.clearMoodHistory();
    expect(await db.listSessions()).toEqual([]);
    expect(await db.listCheckIns()).toEqual([]);
    expect(await db.listSongs()).toHaveLength(1);
    expect(await db.listFeedback()).toHaveLength(1);
    db.close();
  });

  it('upgrades a version-5 database to answers: everything is kept; answers are stored, and deleted with the mood history', async () => {
    const name = freshName();
    const old = await openLibraryDb({ name, version: 5 });
    await old.putFeedback({ id: '4'.repeat(64), liked: false, skips: 0, placement: null, updatedAt: 1 });
    await old.putCheckIn({
      id: 10, modalities: ['voice'], emotion: 'neutral', distribution: { neutral: 1, happy: 0, sad: 0, angry: 0, fearful: 0, disgust: 0, surprised: 0, contempt: 0 },
      valence: 0, arousal: 0, mood: 'pleasure', confidence: 0.5, mode: 'match', playedSongIds: [],
    });
    old.close();
    const db = await openLibraryDb({ name });
    expect(LIBRARY_DB_VERSION).toBe(7);
    expect(await db.listCheckIns()).toHaveLength(1);
    expect(await db.listAnswers()).toEqual([]);
    const answer = {
      id: 'voice:10', modality: 'voice' as const, readAt: 10, answeredAt: 20, labels: ['neutral', 'sad'], probabilities: [0.7, 0.3],
      valence: 0.1, arousal: 0, answer: { valence: -0.6, arousal: -0.5 }, source: 'correction' as const,
    };
    await db.putAnswers([answer, { ...answer, id: 'face:10', modality: 'face' as const }]);
    expect((await db.listAnswers()).map((a) => a.id).sort()).toEqual(['face:10', 'voice:10']);
    await db.clearAnswers();
    expect(await db.listAnswers()).toEqual([]);
    await db.putAnswers([answer]);
    await db.clearMoodHistory();
    expect(await db.listAnswers()).toEqual([]);
    expect(await db.listCheckIns()).toEqual([]);
    expect(await db.listFeedback()).toHaveLength(1);
    db.close();
  });

  it('upgrades a version-6 database to linked folders; a linked song is stored without audio, taken off the queue, and deleted with its link', async () => {
    const name = freshName();
    const old = await openLibraryDb({ name, version: 6 });
    await old.putSong(songRecord({ id: 'c'.repeat(64), title: 'Copied' }), new Blob([new Uint8Array(5)]), null);
    old.close();
    const db = await openLibraryDb({ name });
    expect((await db.listSongs()).map((s) => s.title)).toEqual(['Copied']);
    expect(await db.listFolders()).toEqual([]);
    const folder = { id: 'music', handle: { name: 'Music' } as unknown as FileSystemDirectoryHandle, name: 'Music', linkedAt: 1, importState: { total: 2, paused: false } };
    const queued = [
      { relativePath: 'a.mp3', sizeBytes: 10, lastModifiedMs: 1 },
      { relativePath: 'b.mp3', sizeBytes: 20, lastModifiedMs: 2 },
    ];
    await db.setQueue(folder, queued);
    expect((await db.listQueue('music')).map((q) => q.relativePath)).toEqual(['a.mp3', 'b.mp3']);
    const id = 'd'.repeat(64);
    const analysis = { id, analyserVersion: 'x', status: 'ok' as const, features: null, emotion: null, bpm: null, error: null, analysedAt: 1 };
    await db.putLinkedSong(songRecord({ id, title: 'Linked' }), { id, folderId: 'music', ...queued[0] }, null, analysis);
    expect((await db.listQueue('music')).map((q) => q.relativePath)).toEqual(['b.mp3']);
    expect(await db.countAudio()).toBe(1);
    expect(await db.listLinks()).toEqual([{ id, folderId: 'music', ...queued[0] }]);
    expect((await db.listFolders())[0].importState).toEqual({ total: 2, paused: false });
    await db.deleteSongs([id]);
    expect(await db.listLinks()).toEqual([]);
    expect((await db.listSongs()).map((s) => s.title)).toEqual(['Copied']);
    db.close();
  });

  it('refuses versions it does not know', async () => {
    await expect(openLibraryDb({ name: freshName(), version: 99 })).rejects.toThrow(RangeError);
  });
});
