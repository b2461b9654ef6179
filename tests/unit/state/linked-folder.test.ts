import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AnalysisBody } from '../../../src/core/library/analysis.ts';
import { sniffAudioFormat } from '../../../src/core/library/audio-format.ts';
import type { ScannedFile } from '../../../src/core/library/linked-folder.ts';
import { openLibraryDb } from '../../../src/adapters/storage/library-db.ts';
import type { FolderPermission } from '../../../src/adapters/files/folder-access.ts';
import type { LibraryDeps } from '../../../src/state/library-deps.ts';
import { openLibrary, until } from './library-state-helpers.ts';
import { LibraryState } from '../../../src/state/library.svelte.ts';
import type { AnalyseOutcome } from '../../../src/workers/song-analysis-client.ts';

const WAV_HEADER = 'RIFF\0\0\0\0WAVE';
const sha = async (blob: Blob): Promise<string> => createHash('sha256').update(new Uint8Array(await blob.arrayBuffer())).digest('hex');
const notFound = (): DOMException => new DOMException('A requested file could not be found', 'NotFoundError');

const okAnalysis = (): AnalysisBody => ({
  analyserVersion: '',
  status: 'ok',
  features: { 'tempo-bpm': 120 },
  emotion: { valence: 0.5, arousal: 0.2, mood: 'pleasure', intensity: 0.5, contributions: { valence: [], arousal: [] } },
  bpm: 120,
  error: null,
});

let dbCounter = 0;

/**
 * A linked folder, faked: files by path in memory (a File carries its own size and time), a
 * handle that is a plain object (IndexedDB clones it as it would a real one), a permission the
 * test sets, and an analyser whose `held` files wait until released.
 */
function folderWorld() {
  const dbName = `norae-linked-test-${++dbCounter}`;
  const world = {
    files: new Map<string, File>(),
    permission: 'granted' as FolderPermission,
    answer: 'granted' as FolderPermission,
    gates: new Map<string, { gate: Promise<void>; release: () => void }>(),
    analysed: [] as string[],
    put(path: string, body: string, lastModified = 1): void {
      world.files.set(path, new File([WAV_HEADER, body], path.split('/').pop() ?? path, { lastModified }));
    },
    hold(path: string): void {
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      world.gates.set(path, { gate, release });
    },
  };
  const handle = { kind: 'directory', name: 'Music' } as unknown as FileSystemDirectoryHandle;
  const fileAt = (path: string): File => {
    const found = world.files.get(path);
    if (!found) throw notFound();
    return found;
  };
  let clockMs = Date.now();
  const deps: LibraryDeps = {
    openDb: (events) => openLibraryDb({ name: dbName, ...events }),
    probe: async (file, _signal, options) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const sniff = sniffAudioFormat(bytes);
      const audio = options?.keepCopy === false ? null : new Blob([bytes]);
      return { sniff, id: await sha(file), tags: { durationSeconds: 100, codec: 'PCM' }, hasArtwork: false, artwork: null, audio };
    },
    analyse: async (blob, _hint, { signal }): Promise<AnalyseOutcome> => {
      const name = (blob as File).name;
      world.analysed.push(name);
      const held = [...world.gates.entries()].find(([path]) => path.endsWith(name));
      if (held) {
        await new Promise<void>((resolve, reject) => {
          signal.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')), { once: true });
          void held[1].gate.then(resolve);
        });
      }
      return { durationSeconds: 100, analysis: okAnalysis(), decoder: 'browser', timings: null };
    },
    concurrency: 1,
    readStorageEstimate: async () => null,
    requestPersistentStorage: async () => true,
    folders: {
      pick: async () => handle,
      queryPermission: async () => world.permission,
      requestPermission: async () => (world.permission = world.answer),
      scan: async (): Promise<ScannedFile[]> =>
        [...world.files].map(([relativePath, f]) => ({ relativePath, sizeBytes: f.size, lastModifiedMs: f.lastModified })),
      hash: (file) => sha(file),
      file: async (_root, path) => fileAt(path),
    },
    // A clock that moves a second per reading: a song finished within one real millisecond
    // would leave no elapsed time to estimate the time left from (a flaky test in CI).
    now: () => (clockMs += 1000),
  };
  return { world, deps };
}

/** Opens a library on `deps`, links the folder and waits until its `songs` songs are imported. */
async function linkAndImport(deps: LibraryDeps, songs: number): Promise<LibraryState> {
  const library = await openLibrary(deps);
  await library.linked.link();
  await until(() => library.linked.progress === null && library.songs.length === songs);
  return library;
}

const titles = (library: LibraryState): string[] => library.songs.map((s) => s.title).sort();

describe('LinkedFolderState', () => {
  it('links a folder: its songs are stored without audio and play from their files', async () => {
    const { world, deps } = folderWorld();
    world.put('Album/01 One.wav', 'one');
    world.put('Two.wav', 'two');
    const library = await linkAndImport(deps, 2);
    expect(titles(library)).toEqual(['One', 'Two']);
    expect(await library.db.countAudio()).toBe(0);
    const one = library.songs.find((s) => s.title === 'One');
    const audio = await library.getAudio(one?.id ?? '');
    expect(audio).toBe(world.files.get('Album/01 One.wav'));
    expect(library.linked.folder?.name).toBe('Music');
  });

  it('lists every song of the import by the time its progress goes away (not a batch later)', async () => {
    const { world, deps } = folderWorld();
    for (const n of ['1', '2', '3']) world.put(`${n}.wav`, `song ${n}`);
    const library = await openLibrary(deps);
    await library.linked.link();
    await until(() => library.linked.progress === null);
    expect(titles(library)).toEqual(['1', '2', '3']);
  });

  it('unlinks: the songs and the folder leave, the files stay, and linking again imports them anew', async () => {
    const { world, deps } = folderWorld();
    world.put('a.wav', 'song a');
    world.put('b.wav', 'song b');
    const library = await linkAndImport(deps, 2);
    await library.db.putFeedback({ id: library.songs[0].id, liked: true, skips: 0, placement: null, updatedAt: 1 });
    expect(await library.linked.unlink()).toBe(2);
    expect(library.songs).toEqual([]);
    expect(library.linked.folder).toBeNull();
    expect(library.linked.unlinked).toEqual({ name: 'Music', songs: 2 });
    expect(await library.db.listFolders()).toEqual([]);
    expect(await library.db.listLinks()).toEqual([]);
    expect(await library.db.listFeedback()).toEqual([]);
    expect(world.files.size).toBe(2);
    // A reload finds nothing linked and does not rescan.
    const reloaded = await openLibrary(deps);
    expect(reloaded.linked.folder).toBeNull();
    expect(reloaded.songs).toEqual([]);
    const again = await linkAndImport(deps, 2);
    expect(titles(again)).toEqual(['a', 'b']);
    expect(again.linked.unlinked).toBeNull();
  });

  it('a song copied in before the folder was linked is said to be there once, keeps its copy, and is not offered again', async () => {
    const { world, deps } = folderWorld();
    world.put('a.wav', 'song a');
    world.put('b.wav', 'song b');
    const library = await openLibrary(deps);
    await library.importFiles([{ file: world.files.get('a.wav') as File, relativePath: 'a.wav' }]);
    expect(library.songs).toHaveLength(1);
    const copied = library.songs[0].id;
    await library.linked.link();
    await until(() => library.linked.progress === null && library.songs.length === 2);
    expect([...library.rows.values()].filter((r) => r.status === 'error').map((r) => r.error?.code)).toEqual(['duplicate']);
    expect(library.linked.isLinked(copied)).toBe(false);
    expect(await library.db.getAudio(copied)).toBeDefined();
    await library.linked.rescan();
    await until(() => library.linked.progress === null && !library.linked.scanning);
    expect(library.linked.lastRescan).toEqual({ queued: 0, moved: 0, vanished: [] });
    // Unlinking takes the folder's own song, not the copy.
    expect(await library.linked.unlink()).toBe(1);
    expect(library.songs.map((s) => s.id)).toEqual([copied]);
  });

  it('rescan: a renamed file keeps its song and likes, a deleted one goes with its title said, a new one is added', async () => {
    const { world, deps } = folderWorld();
    world.put('a.wav', 'song a');
    world.put('b.wav', 'song b');
    const library = await linkAndImport(deps, 2);
    const a = library.songs.find((s) => s.fileName === 'a.wav');
    const b = library.songs.find((s) => s.fileName === 'b.wav');
    await library.db.putFeedback({ id: a?.id ?? '', liked: true, skips: 0, placement: null, updatedAt: 1 });
    world.files.set('renamed/A again.wav', world.files.get('a.wav') as File);
    world.files.delete('a.wav');
    world.files.delete('b.wav');
    world.put('c.wav', 'song c');
    await library.linked.rescan();
    await until(() => library.linked.progress === null && library.songs.length === 2);
    expect(library.linked.lastRescan).toEqual({ queued: 1, moved: 1, vanished: [b?.title] });
    expect(library.songs.map((s) => s.id)).toContain(a?.id);
    expect(library.songs.map((s) => s.fileName)).toContain('c.wav');
    expect((await library.db.listFeedback()).find((f) => f.id === a?.id)?.liked).toBe(true);
    expect(await library.getAudio(a?.id ?? '')).toBe(world.files.get('renamed/A again.wav'));
    // The moved file was hashed, not analysed again.
    expect(world.analysed.filter((n) => n === 'A again.wav')).toEqual([]);
  });

  it('pauses, resumes after a reload, and a cancel keeps the songs it finished', async () => {
    const { world, deps } = folderWorld();
    for (const n of ['1', '2', '3', '4']) world.put(`${n}.wav`, `song ${n}`);
    world.hold('2.wav');
    const library = await openLibrary(deps);
    void library.linked.link();
    await until(() => library.linked.progress?.done === 1);
    expect(library.linked.progress?.left).toBe(3);
    await library.linked.pause();
    expect(library.linked.progress?.paused).toBe(true);

    // A reload: a new page opens the same database and finds the import waiting, paused.
    world.gates.clear();
    const reloaded = await openLibrary(deps);
    expect(reloaded.linked.progress).toMatchObject({ done: 1, left: 3, paused: true });
    expect(reloaded.songs).toHaveLength(1);
    world.hold('3.wav');
    void reloaded.linked.resume();
    await until(() => reloaded.linked.progress?.done === 2);
    expect(reloaded.linked.progress?.secondsLeft).not.toBeNull();
    await reloaded.linked.cancel();
    await until(() => reloaded.songs.length === 2);
    expect(reloaded.linked.progress).toBeNull();
    const again = await openLibrary(deps);
    expect(titles(again)).toEqual(['1', '2']);
    expect(again.linked.progress).toBeNull();
  });

  it('permission withdrawn: the app asks, plays nothing meanwhile and loses nothing; a refusal is said', async () => {
    const { world, deps } = folderWorld();
    world.put('a.wav', 'song a');
    const first = await openLibrary(deps);
    await first.linked.link();
    await until(() => first.linked.progress === null && first.songs.length === 1);
    world.permission = 'prompt';
    const library = await openLibrary(deps);
    expect(library.linked.permission).toBe('prompt');
    expect(library.songs).toHaveLength(1);
    expect(await library.getAudio(library.songs[0].id)).toBeUndefined();
    await library.linked.rescan();
    expect(library.songs).toHaveLength(1);
    world.answer = 'denied';
    await library.linked.allow();
    expect(library.linked.problem?.code).toBe('denied');
    world.answer = 'granted';
    await library.linked.allow();
    expect(library.linked.permission).toBe('granted');
    expect(await library.getAudio(library.songs[0].id)).toBe(world.files.get('a.wav'));
  });
});

describe('LinkedFolderState on a later visit', () => {
  it('notices files added since, by itself; not after the user stopped an import', async () => {
    const { world, deps } = folderWorld();
    world.put('a.wav', 'song a');
    const first = await openLibrary(deps);
    await first.linked.link();
    await until(() => first.linked.progress === null && first.songs.length === 1);
    world.put('b.wav', 'song b');
    const later = await openLibrary(deps);
    await until(() => later.songs.length === 2 && later.linked.progress === null);

    world.put('c.wav', 'song c');
    world.put('d.wav', 'song d');
    world.hold('d.wav');
    void later.linked.rescan();
    await until(() => later.linked.progress?.done === 1);
    await later.linked.cancel();
    const afterStop = await openLibrary(deps);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(afterStop.linked.scanning).toBe(false);
    expect(afterStop.linked.progress).toBeNull();
    expect(afterStop.songs).toHaveLength(3);
  });

  it('a folder that turns up empty (a drive not connected) removes nothing and says so', async () => {
    const { world, deps } = folderWorld();
    world.put('a.wav', 'song a');
    const library = await linkAndImport(deps, 1);
    world.files.clear();
    await library.linked.rescan();
    expect(library.linked.problem?.code).toBe('scan-failed');
    expect(library.linked.problem?.detail).toContain('drive');
    expect(library.songs).toHaveLength(1);
  });
});

describe('LinkedFolderState and deleting', () => {
  it('a linked song the user deleted stays out on rescans (its file untouched), even moved, and is not reported as gone', async () => {
    const { world, deps } = folderWorld();
    world.put('a.wav', 'song a');
    world.put('b.wav', 'song b');
    const library = await linkAndImport(deps, 2);
    const a = library.songs.find((s) => s.fileName === 'a.wav');
    await library.deleteSongs([a?.id ?? '']);
    expect(library.linked.isLinked(a?.id ?? '')).toBe(false);
    // A later visit rescans by itself: the deleted song stays deleted.
    const later = await openLibrary(deps);
    await until(() => later.linked.lastRescan !== null && !later.linked.scanning && later.linked.progress === null);
    expect(later.linked.lastRescan).toEqual({ queued: 0, moved: 0, vanished: [] });
    expect(titles(later)).toEqual(['b']);
    world.files.set('moved/a.wav', world.files.get('a.wav') as File);
    world.files.delete('a.wav');
    await library.linked.rescan();
    expect(library.linked.lastRescan).toEqual({ queued: 0, moved: 1, vanished: [] });
    world.files.delete('moved/a.wav');
    await library.linked.rescan();
    expect(library.linked.lastRescan).toEqual({ queued: 0, moved: 0, vanished: [] });
    expect(titles(library)).toEqual(['b']);
    expect(world.analysed.filter((n) => n === 'a.wav')).toHaveLength(1);
  });
});
