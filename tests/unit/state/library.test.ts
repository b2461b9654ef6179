import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AnalysisBody } from '../../../src/core/library/analysis.ts';
import { sniffAudioFormat } from '../../../src/core/library/audio-format.ts';
import type { SongId } from '../../../src/core/library/song.ts';
import { StorageFullError, openLibraryDb } from '../../../src/adapters/storage/library-db.ts';
import { ANALYSER_VERSION } from '../../../src/core/music/emotion-model.ts';
import type { LibraryDeps } from '../../../src/state/library-deps.ts';
import { openLibrary, until } from './library-state-helpers.ts';
import { LibraryState, type LibraryFileOutcome } from '../../../src/state/library.svelte.ts';
import { UndecodableError, type AnalyseOutcome } from '../../../src/workers/song-analysis-client.ts';

const WAV_HEADER = 'RIFF\0\0\0\0WAVE';

/** A file that sniffs as WAV; its body (the name unless given) says how analysing it goes. */
const wav = (name: string, body = name): File => new File([WAV_HEADER, body], name, { type: 'audio/wav' });
const png = (name: string): File => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])], name);
const picked = (...files: File[]) => files.map((file) => ({ file, relativePath: file.name }));
const bodyOf = async (blob: Blob): Promise<string> => (await blob.text()).slice(WAV_HEADER.length);
const idOf = async (blob: Blob): Promise<SongId> => createHash('sha256').update(new Uint8Array(await blob.arrayBuffer())).digest('hex');

const okAnalysis = (body: string): AnalysisBody => ({
  analyserVersion: '',
  status: 'ok',
  features: { 'tempo-bpm': body.length },
  emotion: { valence: 0.5, arousal: 0.2, mood: 'pleasure', intensity: 0.5, contributions: { valence: [], arousal: [] } },
  bpm: 120,
  error: null,
});

const aborted = (): DOMException => new DOMException('Aborted', 'AbortError');

let dbCounter = 0;

/**
 * The library's world, faked: a real LibraryDb over fake-indexeddb, a probe that sniffs and hashes
 * the bytes as the worker does, and an analyser a test steers by file body — `held` bodies wait
 * until released (or aborted), `crashing` ones come back "not analysed", `undecodable…` ones
 * cannot be decoded at all. `full` file names do not fit on the disk.
 */
function fakeWorld(dbName = `norae-library-test-${++dbCounter}`) {
  const world = {
    dbName,
    held: new Map<string, () => void>(),
    crashing: new Set<string>(),
    full: new Set<string>(),
    analysed: [] as string[],
    hold(body: string): void {
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      world.gates.set(body, gate);
      world.held.set(body, release);
    },
    gates: new Map<string, Promise<void>>(),
  };
  const waitAtGate = (body: string, signal: AbortSignal): Promise<void> => {
    const gate = world.gates.get(body);
    if (!gate) return Promise.resolve();
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(aborted()), { once: true });
      void gate.then(resolve);
    });
  };
  const deps: LibraryDeps = {
    openDb: async (events) => {
      const db = await openLibraryDb({ name: dbName, ...events });
      const putSong = db.putSong.bind(db);
      db.putSong = async (song, ...rest) => {
        if (world.full.has(song.fileName)) throw new StorageFullError(new DOMException('full', 'QuotaExceededError'));
        return putSong(song, ...rest);
      };
      return db;
    },
    probe: async (file) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const sniff = sniffAudioFormat(bytes);
      const audio = sniff.kind === 'audio' ? new Blob([bytes], { type: sniff.mimeType }) : null;
      return { sniff, id: await idOf(file), tags: { durationSeconds: 100, codec: 'PCM' }, hasArtwork: false, artwork: null, audio };
    },
    analyse: async (blob, _formatHint, { signal, onProgress }): Promise<AnalyseOutcome> => {
      const body = await bodyOf(blob);
      world.analysed.push(body);
      onProgress?.(0.5);
      if (body.startsWith('undecodable')) throw new UndecodableError('no decoder reads this');
      await waitAtGate(body, signal);
      if (world.crashing.has(body)) {
        const analysis: AnalysisBody = { ...okAnalysis(body), status: 'error', features: null, emotion: null, bpm: null, error: { code: 'worker-crashed', detail: 'out of memory' } };
        return { durationSeconds: 100, analysis, decoder: 'browser', timings: null };
      }
      return { durationSeconds: 100, analysis: okAnalysis(body), decoder: 'wasm-worker', timings: { decodeMs: 1, featuresMs: 2, tempoMs: 3 } };
    },
    concurrency: 2,
    readStorageEstimate: async () => ({ usageBytes: 1, quotaBytes: 10, freeBytes: 9, persisted: true }),
    requestPersistentStorage: async () => true,
    folders: null,
    now: () => 1_000,
  };
  return { world, deps };
}


/** The import rows as [file name, status, error code]. */
const rowsOf = (library: LibraryState) => [...library.rows.values()].map((r) => [r.fileName, r.status, r.error?.code ?? null]);
const titles = (library: LibraryState) => library.songs.map((s) => s.title).sort();

describe('LibraryState imports', () => {
  it('stores a few files with their analyses, showing progress along the way', async () => {
    const { world, deps } = fakeWorld();
    const library = await openLibrary(deps);
    world.hold('b.wav');
    const importing = library.importFiles(picked(wav('a.wav'), wav('b.wav'), wav('c.wav')));
    // The rows come a task after the pick (the picker's own task is long enough), before any file is read.
    expect(rowsOf(library)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(rowsOf(library)).toEqual([
      ['a.wav', 'queued', null],
      ['b.wav', 'queued', null],
      ['c.wav', 'queued', null],
    ]);
    await until(() => library.progress?.done === 2);
    expect(library.progress).toEqual({ total: 3, done: 2, added: 2, failed: 0 });
    const [row] = library.rows.values();
    expect([row.fileName, row.status, library.rowProgress.get(row.key)]).toEqual(['b.wav', 'analysing', 0.5]);
    await until(() => library.songs.length === 2);
    world.held.get('b.wav')?.();

    expect(await importing).toEqual({ added: 3, failed: 0, cancelled: 0 });
    expect(titles(library)).toEqual(['a', 'b', 'c']);
    expect(library.rows.size).toBe(0);
    expect(library.progress).toBeNull();
    expect(library.storage?.freeBytes).toBe(9);
    const b = library.songs.find((s) => s.title === 'b');
    expect(library.analyses.get(b!.id)).toMatchObject({ status: 'ok', analyserVersion: ANALYSER_VERSION, analysedAt: 1_000, timings: { decoder: 'wasm-worker' } });

    // Everything is in the database: a fresh start finds the songs, their audio and analyses.
    const reopened = await openLibrary(fakeWorld(world.dbName).deps);
    expect(titles(reopened)).toEqual(['a', 'b', 'c']);
    expect(await bodyOf((await reopened.getAudio(b!.id))!)).toBe('b.wav');
    expect(reopened.analyses.get(b!.id)?.status).toBe('ok');
    expect(reopened.analysisProgress).toBeNull();
  });

  it('recognises a song already stored, and the same song twice in one drop, by its content', async () => {
    const { deps } = fakeWorld();
    const library = await openLibrary(deps);
    await library.importFiles(picked(wav('a.wav')));
    const summary = await library.importFiles(picked(wav('renamed a.wav', 'a.wav'), wav('b.wav'), wav('b again.wav', 'b.wav')));
    expect(summary).toEqual({ added: 1, failed: 2, cancelled: 0 });
    expect(titles(library)).toEqual(['a', 'b']);
    expect(rowsOf(library)).toEqual([
      ['renamed a.wav', 'error', 'duplicate'],
      ['b again.wav', 'error', 'duplicate'],
    ]);
    expect([...library.rows.values()].map((r) => r.error?.existingTitle)).toEqual(['a', 'b']);
  });

  it('gives each bad file its own message and loses nothing else of the batch', async () => {
    const { world, deps } = fakeWorld();
    const library = await openLibrary(deps);
    world.full.add('huge.wav');
    const summary = await library.importFiles(
      picked(wav('good 1.wav'), png('cover.png'), wav('broken.wav', 'undecodable bytes'), new File([], 'empty.wav'), wav('huge.wav'), wav('good 2.wav')),
    );
    expect(summary).toEqual({ added: 2, failed: 4, cancelled: 0 });
    expect(titles(library)).toEqual(['good 1', 'good 2']);
    expect(rowsOf(library)).toEqual([
      ['cover.png', 'error', 'not-audio'],
      ['broken.wav', 'error', 'corrupt'],
      ['empty.wav', 'error', 'empty'],
      ['huge.wav', 'error', 'quota'],
    ]);
    expect([...library.rows.values()][0].error?.detected).toBe('png');

    library.dismissErrors();
    expect(library.rows.size).toBe(0);
    expect(titles(library)).toEqual(['good 1', 'good 2']);
  });

  it('keeps a song whose analysis failed, and analyses it again on retry', async () => {
    const { world, deps } = fakeWorld();
    const library = await openLibrary(deps);
    world.crashing.add('a.wav');
    expect(await library.importFiles(picked(wav('a.wav')))).toEqual({ added: 1, failed: 0, cancelled: 0 });
    const [song] = library.songs;
    expect(song.hasAudio).toBe(true);
    expect(library.analyses.get(song.id)?.error?.code).toBe('worker-crashed');

    world.crashing.clear();
    await library.retryAnalysis(song.id);
    expect(library.analyses.get(song.id)).toMatchObject({ status: 'ok', error: null });
    expect(library.activity.size).toBe(0);
    expect(world.analysed).toEqual(['a.wav', 'a.wav']);
    const reopened = await openLibrary(fakeWorld(world.dbName).deps);
    expect(reopened.analyses.get(song.id)?.status).toBe('ok');
  });

  it('stops on cancel: finished songs stay, the rest are dropped unread', async () => {
    const { world, deps } = fakeWorld();
    const library = await openLibrary(deps);
    world.hold('b.wav');
    world.hold('c.wav');
    const importing = library.importFiles(picked(wav('a.wav'), wav('b.wav'), wav('c.wav'), wav('d.wav'), wav('e.wav')));
    await until(() => library.progress?.done === 1 && world.analysed.length === 3);
    library.cancelImport();

    expect(await importing).toEqual({ added: 1, failed: 0, cancelled: 4 });
    expect(titles(library)).toEqual(['a']);
    expect(library.rows.size).toBe(0);
    expect(library.progress).toBeNull();
    expect(world.analysed).toEqual(['a.wav', 'b.wav', 'c.wav']);
    const reopened = await openLibrary(fakeWorld(world.dbName).deps);
    expect(titles(reopened)).toEqual(['a']);
  });
});

describe('LibraryState', () => {
  it('deletes a song with its audio and analysis, keeping the others', async () => {
    const { deps } = fakeWorld();
    const library = await openLibrary(deps);
    await library.importFiles(picked(wav('a.wav'), wav('b.wav')));
    const a = library.songs.find((s) => s.title === 'a')!;
    const b = library.songs.find((s) => s.title === 'b')!;
    const told: (readonly SongId[])[] = [];
    const stop = library.onSongsDeleted((ids) => told.push(ids));

    await library.deleteSongs([a.id]);
    expect(told).toEqual([[a.id]]);
    expect(titles(library)).toEqual(['b']);
    expect(library.analyses.has(a.id)).toBe(false);
    expect(library.analyses.has(b.id)).toBe(true);
    expect(await library.getAudio(a.id)).toBeUndefined();
    expect(await library.db.getSong(a.id)).toBeUndefined();
    expect(await library.getAudio(b.id)).toBeDefined();
    stop();
    await library.deleteSongs([b.id]);
    expect(told).toHaveLength(1);
  });

  it('re-analyses, when opened, the songs an older analyser read', async () => {
    const { world, deps } = fakeWorld();
    const library = await openLibrary(deps);
    await library.importFiles(picked(wav('a.wav'), wav('b.wav')));
    const a = library.songs.find((s) => s.title === 'a')!;
    await library.db.putAnalysis({ ...library.analyses.get(a.id)!, analyserVersion: 'old' });

    const reopened = await openLibrary(fakeWorld(world.dbName).deps);
    expect(reopened.analysisProgress).toEqual({ total: 1, done: 0 });
    await until(() => reopened.analysisProgress === null);
    expect(reopened.analyses.get(a.id)?.analyserVersion).toBe(ANALYSER_VERSION);
  });

  it('says why when the database cannot be opened', async () => {
    const { deps } = fakeWorld();
    const library = new LibraryState({ ...deps, openDb: async () => Promise.reject(new Error('storage disabled')) });
    await library.open();
    expect(library.loaded).toBe(true);
    expect(library.fatal).toBe('storage disabled');
    expect(await library.importFiles(picked(wav('a.wav')))).toBeNull();
  });
});

describe('LibraryState library files', () => {
  /** An export of a library holding a.wav and b.wav, as a file; `edit` changes its document first. */
  async function exportedLibrary(edit: (doc: { songs: { title: string }[] }) => void = () => undefined): Promise<Blob> {
    const from = await openLibrary(fakeWorld().deps);
    await from.importFiles(picked(wav('a.wav'), wav('b.wav')));
    const doc = JSON.parse(from.exportJson(new Date(0)));
    edit(doc);
    return new Blob([JSON.stringify(doc)]);
  }
  const merged = (outcome: LibraryFileOutcome | null) => {
    expect(outcome?.kind).toBe('merged');
    return (outcome as Extract<LibraryFileOutcome, { kind: 'merged' }>).merge;
  };

  it('merges a file that only adds songs at once, lists them without audio, and undoes it', async () => {
    const file = await exportedLibrary();
    const library = await openLibrary(fakeWorld().deps);
    await library.importFiles(picked(wav('c.wav')));

    const merge = merged(await library.openLibraryFile(file));
    expect(merge).toMatchObject({ added: 2, updated: 0, skipped: 0, usedFileText: false });
    expect(library.pendingMerge).toBeNull();
    expect(library.songs.map((s) => [s.title, s.hasAudio]).sort()).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
    ]);
    await merge.undo();
    expect(titles(library)).toEqual(['c']);
    expect((await library.db.listSongs()).map((s) => s.title)).toEqual(['c']);
  });

  it('asks before a file changes titles here, merges as chosen, and undoes it', async () => {
    const file = await exportedLibrary((doc) => (doc.songs.find((s) => s.title === 'a')!.title = 'A (live)'));
    const library = await openLibrary(fakeWorld().deps);
    await library.importFiles(picked(wav('a.wav'), wav('b.wav')));

    expect(await library.openLibraryFile(file)).toEqual({ kind: 'asking' });
    expect(library.pendingMerge?.changes.map((c) => [c.before.title, c.after.title])).toEqual([['a', 'A (live)']]);
    expect(titles(library)).toEqual(['a', 'b']);
    expect(await library.answerMerge(null)).toBeNull();
    expect(library.pendingMerge).toBeNull();

    await library.openLibraryFile(file);
    const merge = merged(await library.answerMerge({ useFileText: true }));
    expect(merge).toMatchObject({ added: 0, updated: 1, usedFileText: true });
    expect(titles(library)).toEqual(['A (live)', 'b']);
    await merge.undo();
    expect(titles(library)).toEqual(['a', 'b']);
  });

  it('says what is wrong with a file that is not a library, and when there is nothing to merge', async () => {
    const library = await openLibrary(fakeWorld().deps);
    expect(await library.openLibraryFile(new Blob(['{ not json']))).toEqual({ kind: 'problem', problem: { code: 'not-json' } });
    expect(await library.openLibraryFile(new Blob([library.exportJson()]))).toEqual({ kind: 'nothing' });
  });
});
