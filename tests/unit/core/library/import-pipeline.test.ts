import { describe, expect, it } from 'vitest';
import {
  ImportFailure,
  importFiles,
  type ImportItemUpdate,
  type ImportSource,
  type ImportSteps,
  type ProbeResult,
} from '../../../../src/core/library/import-pipeline.ts';
import type { SongRecord } from '../../../../src/core/library/song.ts';
import { songRecord } from './song-fixture.ts';

/** A fake file: what the probe would learn from it, and how decoding goes. */
interface FakeFile {
  probe: ProbeResult;
  decodedSeconds?: number;
  decodeError?: Error;
  storeError?: Error;
}

const id = (n: number): string => n.toString(16).padStart(64, '0');
const mp3 = (n: number, extra: Partial<FakeFile> = {}): FakeFile => ({
  probe: {
    sniff: { kind: 'audio', format: 'mp3', mimeType: 'audio/mpeg', playable: true },
    id: id(n),
    tags: { title: `Song ${n}`, durationSeconds: 100 },
    hasArtwork: false,
  },
  decodedSeconds: 100,
  ...extra,
});

function sources(files: FakeFile[]): ImportSource<FakeFile>[] {
  return files.map((file, i) => ({ key: `k${i}`, file, fileName: `f${i}.mp3`, relativePath: `f${i}.mp3`, sizeBytes: 10 }));
}

function harness(stored: SongRecord[] = []) {
  const db = new Map(stored.map((s) => [s.id, s]));
  const analyses = new Map<string, string>();
  const steps: ImportSteps<FakeFile, string> = {
    probe: async (s) => s.file.probe,
    findExisting: async (songId) => db.get(songId),
    analyse: async (s) => {
      if (s.file.decodeError) throw s.file.decodeError;
      return { durationSeconds: s.file.decodedSeconds ?? 0, sampleRateHz: 44100, channelCount: 2, analysis: `analysis of ${s.key}` };
    },
    store: async (song, analysis, s) => {
      if (s.file.storeError) throw s.file.storeError;
      db.set(song.id, song);
      analyses.set(song.id, analysis);
    },
    now: () => 1234,
  };
  const updates: ImportItemUpdate<string>[] = [];
  const final = (key: string) => updates.filter((u) => u.key === key).at(-1);
  return { db, analyses, steps, updates, final };
}

describe('importFiles', () => {
  it('stores good files and explains each bad one, carrying on through the batch', async () => {
    const { db, analyses, steps, updates, final } = harness([songRecord({ id: id(9), title: 'Stored' })]);
    const files: FakeFile[] = [
      mp3(1),
      { probe: { sniff: { kind: 'other', format: 'png' }, id: id(2), tags: {}, hasArtwork: false } },
      { probe: { sniff: { kind: 'empty' }, id: id(3), tags: {}, hasArtwork: false } },
      { probe: { sniff: { kind: 'audio', format: 'wma', mimeType: 'audio/x-ms-wma', playable: false }, id: id(4), tags: {}, hasArtwork: false } },
      mp3(5, { decodeError: new ImportFailure({ code: 'corrupt' }) }),
      mp3(9), // already stored
      mp3(6, { storeError: new ImportFailure({ code: 'quota' }) }),
      mp3(7, { decodedSeconds: 0 }),
      mp3(8, { storeError: new Error('disk on fire') }),
      mp3(10, { decodedSeconds: 40 }), // truncated: stored with a warning
    ];
    const summary = await importFiles(sources(files), steps, { concurrency: 3, signal: new AbortController().signal, onUpdate: (u) => updates.push(u) });
    expect(summary).toEqual({ added: 2, failed: 8, cancelled: 0 });
    const code = (k: string) => {
      const u = final(k);
      return u?.status === 'error' ? u.error.code : u?.status;
    };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => code(`k${i}`))).toEqual([
      'ready', 'not-audio', 'empty', 'unsupported-format', 'corrupt', 'duplicate', 'quota', 'too-short', 'storage-failed', 'ready',
    ]);
    expect(final('k1')).toMatchObject({ error: { detected: 'png' } });
    expect(final('k5')).toMatchObject({ error: { existingTitle: 'Stored' } });
    expect(db.get(id(1))).toMatchObject({ title: 'Song 1', durationSeconds: 100, addedAt: 1234, warning: null, hasAudio: true });
    expect(db.get(id(10))?.warning).toEqual({ code: 'truncated', decodedSeconds: 40, expectedSeconds: 100 });
    // The analysis is stored with its song and reported with it.
    expect(analyses.get(id(1))).toBe('analysis of k0');
    expect(final('k0')).toMatchObject({ status: 'ready', analysis: 'analysis of k0' });
    expect(updates.filter((u) => u.key === 'k0').map((u) => u.status)).toEqual(['importing', 'analysing', 'ready']);
    // Every item was announced as importing before it finished.
    for (let i = 0; i < files.length; i++) expect(updates.find((u) => u.key === `k${i}`)?.status).toBe('importing');
  });

  it('catches the same file twice in one batch', async () => {
    const { steps, final, updates } = harness();
    await importFiles(sources([mp3(1), mp3(1)]), steps, { concurrency: 2, signal: new AbortController().signal, onUpdate: (u) => updates.push(u) });
    const statuses = [final('k0'), final('k1')].map((u) => (u?.status === 'error' ? u.error.code : u?.status)).sort();
    expect(statuses).toEqual(['duplicate', 'ready']);
  });

  it('gives a song known only from an imported library file its audio, keeping the exported text', async () => {
    const known = songRecord({ id: id(1), title: 'My Own Title', hasAudio: false, addedAt: 5 });
    const { db, steps } = harness([known]);
    const summary = await importFiles(sources([mp3(1)]), steps, { concurrency: 1, signal: new AbortController().signal, onUpdate: () => {} });
    expect(summary.added).toBe(1);
    expect(db.get(id(1))).toMatchObject({ title: 'My Own Title', hasAudio: true, addedAt: 5 });
  });

  it('stops on abort: finished songs stay, the rest are cancelled', async () => {
    const controller = new AbortController();
    const { db, steps, final, updates } = harness();
    const slowSteps: ImportSteps<FakeFile, string> = {
      ...steps,
      store: async (song, analysis, s, p, signal) => {
        await steps.store(song, analysis, s, p, signal);
        if (song.id === id(2)) controller.abort();
      },
    };
    const summary = await importFiles(sources([mp3(1), mp3(2), mp3(3), mp3(4)]), slowSteps, {
      concurrency: 1,
      signal: controller.signal,
      onUpdate: (u) => updates.push(u),
    });
    expect(summary).toEqual({ added: 2, failed: 0, cancelled: 2 });
    expect([...db.keys()]).toEqual([id(1), id(2)]);
    expect(final('k3')?.status).toBe('cancelled');
  });

  it('reports an abort raised inside a step as cancelled, not as a failure', async () => {
    const controller = new AbortController();
    const { steps } = harness();
    const summary = await importFiles(
      sources([mp3(1)]),
      {
        ...steps,
        analyse: async () => {
          controller.abort();
          throw new DOMException('stop', 'AbortError');
        },
      },
      { concurrency: 1, signal: controller.signal, onUpdate: () => {} },
    );
    expect(summary).toEqual({ added: 0, failed: 0, cancelled: 1 });
  });
});

describe('importFiles memory bounds', () => {
  function sized(files: FakeFile[], sizes: number[]): ImportSource<FakeFile>[] {
    return sources(files).map((s, i) => ({ ...s, sizeBytes: sizes[i] }));
  }

  it('keeps the bytes in flight within the budget, whatever the lane count', async () => {
    const { steps } = harness();
    let inFlight = 0;
    let peak = 0;
    const slowAnalyse = steps.analyse;
    const sizes = [60, 60, 60, 30, 30, 30, 90, 10];
    steps.analyse = async (s, p, signal) => {
      inFlight += s.sizeBytes;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= s.sizeBytes;
      return slowAnalyse(s, p, signal);
    };
    const files = sizes.map((_, i) => mp3(i + 1));
    const summary = await importFiles(sized(files, sizes), steps, {
      concurrency: 8,
      maxBytesInFlight: 100,
      signal: new AbortController().signal,
      onUpdate: () => {},
    });
    expect(summary.added).toBe(sizes.length);
    expect(peak).toBeLessThanOrEqual(100);
    expect(peak).toBeGreaterThanOrEqual(90);
  });

  it('refuses a file over the size cap with its own error, without reading it', async () => {
    const { steps, updates, final } = harness();
    const probed: string[] = [];
    const probe = steps.probe;
    steps.probe = async (s, signal) => (probed.push(s.key), probe(s, signal));
    const summary = await importFiles(sized([mp3(1), mp3(2)], [2_000, 500]), steps, {
      concurrency: 2,
      maxFileBytes: 1_000,
      signal: new AbortController().signal,
      onUpdate: (u) => updates.push(u),
    });
    expect(summary).toMatchObject({ added: 1, failed: 1 });
    expect(final('k0')).toEqual({ key: 'k0', status: 'error', error: { code: 'too-large', sizeBytes: 2_000, limitBytes: 1_000 } });
    expect(probed).toEqual(['k1']);
  });
});
