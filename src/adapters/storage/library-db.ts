import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { SongAnalysis } from '../../core/library/analysis.ts';
import type { CheckIn, PersonalAnswer, SongFeedback, StoredVoiceProfile } from '../../core/library/personal.ts';
import type { LinkRecord, ScannedFile } from '../../core/library/linked-folder.ts';
import type { SongId, SongRecord } from '../../core/library/song.ts';
import type { MoodSession } from '../../core/sessions/session.ts';

/** The stored audio of one song, kept apart from the metadata so listing songs stays cheap. */
export interface AudioRecord {
  id: SongId;
  blob: Blob;
}

/** Cover art: the original picture and a small thumbnail for lists. */
export interface ArtworkRecord {
  id: SongId;
  full: Blob;
  /** ~128 px WebP/PNG; null when the picture could not be scaled (the full one is used). */
  thumb: Blob | null;
}

/**
 * A folder linked in place: its handle (structured-cloneable, so IndexedDB keeps it and the
 * browser remembers the grant), and its import when one is under way or paused.
 */
export interface FolderRecord {
  id: string;
  handle: FileSystemDirectoryHandle;
  name: string;
  linkedAt: number;
  /** The folder's import: how many songs it queued and whether the user paused it; null when none is waiting. */
  importState: { total: number; paused: boolean } | null;
  /** Set when the user stopped an import: the next visit does not rescan by itself. */
  stopped?: boolean;
}

/** A file of a linked folder still to import (the queue survives a reload). */
export interface QueuedFile extends ScannedFile {
  folderId: string;
}

/** Version 1 kept the cover inside the song record; version 2 moved it to its own store. */
interface SongRecordV1 extends Omit<SongRecord, 'hasArtwork' | 'warning' | 'hasAudio'> {
  artwork?: { mimeType: string; data: Blob };
}

export interface LibrarySchema extends DBSchema {
  songs: { key: SongId; value: SongRecord; indexes: { addedAt: number } };
  audio: { key: SongId; value: AudioRecord };
  artwork: { key: SongId; value: ArtworkRecord };
  analyses: { key: SongId; value: SongAnalysis };
  profiles: { key: string; value: StoredVoiceProfile };
  feedback: { key: SongId; value: SongFeedback };
  checkins: { key: number; value: CheckIn };
  sessions: { key: number; value: MoodSession };
  answers: { key: string; value: PersonalAnswer };
  folders: { key: string; value: FolderRecord };
  links: { key: SongId; value: LinkRecord };
  linkQueue: { key: string; value: QueuedFile };
}

/** The schema version this build writes. Every version has a migration below. */
export const LIBRARY_DB_VERSION = 7;
export const LIBRARY_DB_NAME = 'norae';

type UpgradeTx = IDBPTransaction<LibrarySchema, StoreNames<LibrarySchema>[], 'versionchange'>;
type Migration = (db: IDBPDatabase<LibrarySchema>, tx: UpgradeTx) => void | Promise<void>;

/**
 * Migrations, index = version − 1. Each brings a database from the previous version to its own;
 * never edit a shipped one, append a new one.
 */
const MIGRATIONS: readonly Migration[] = [
  // v1: songs (cover art inline) and their audio.
  (db) => {
    db.createObjectStore('songs', { keyPath: 'id' });
    db.createObjectStore('audio', { keyPath: 'id' });
  },
  // v2: cover art in its own store (so listing 10,000 songs does not load 10,000 pictures),
  // an index on addedAt, and the warning/hasAudio fields.
  async (db, tx) => {
    db.createObjectStore('artwork', { keyPath: 'id' });
    const songs = tx.objectStore('songs');
    songs.createIndex('addedAt', 'addedAt');
    const artwork = tx.objectStore('artwork');
    let cursor = await songs.openCursor();
    while (cursor) {
      const old = cursor.value as unknown as SongRecordV1;
      const { artwork: inline, ...rest } = old;
      if (inline) await artwork.put({ id: old.id, full: inline.data, thumb: null });
      const upgraded: SongRecord = { ...rest, hasArtwork: Boolean(inline), warning: null, hasAudio: true };
      await cursor.update(upgraded);
      cursor = await cursor.continue();
    }
  },
  // v3: song analyses (features, valence/arousal, mood), one per song, tagged with the analyser
  // version; songs from v2 have none and are analysed in the background.
  (db) => {
    db.createObjectStore('analyses', { keyPath: 'id' });
  },
  // v4: what is personal and stays on this device: the voice profile, feedback on songs
  // (likes, skips, the listener's own placement) and the mood history.
  (db) => {
    db.createObjectStore('profiles', { keyPath: 'id' });
    db.createObjectStore('feedback', { keyPath: 'id' });
    db.createObjectStore('checkins', { keyPath: 'id' });
  },
  // v5: listening sessions and their outcomes (what each session did to the listener's mood).
  (db) => {
    db.createObjectStore('sessions', { keyPath: 'id' });
  },
  // v6: the listener's answers paired with sensor readings (personal calibration learns from them).
  (db) => {
    db.createObjectStore('answers', { keyPath: 'id' });
  },
  // v7: folders linked in place (their handles), where each linked song's file is, and the
  // queue of a linked folder's import (so it resumes after a reload).
  (db) => {
    db.createObjectStore('folders', { keyPath: 'id' });
    db.createObjectStore('links', { keyPath: 'id' });
    db.createObjectStore('linkQueue', { keyPath: 'relativePath' });
  },
];

/** Thrown when the browser refuses a write because the origin's storage quota is used up. */
export class StorageFullError extends Error {
  constructor(cause: unknown) {
    super('Storage is full', { cause });
    this.name = 'StorageFullError';
  }
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  // Chromium reports a full disk as QuotaExceededError; some paths abort with UnknownError
  // whose message mentions the quota.
  return (
    name === 'QuotaExceededError' ||
    (name === 'UnknownError' && /quota|space/i.test(String((error as Error).message)))
  );
}

async function translateQuota<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(error);
    throw error;
  }
}

/** Records per `getAll` when a whole store is read (see {@link readPaged}). */
export const READ_PAGE_RECORDS = 250;

/**
 * A whole store in key order, a page at a time. One `getAll` of 10,000 songs or analyses is
 * deserialised in a single main-thread task (244 ms of the 487 ms long task at load in the
 * 10,000-song bench, 2 cores under load); pages of 1,000 kept each task a tenth of that, still
 * 48–60 ms for a page of analyses in a Chromium trace (the records are deserialised when the
 * result is read); pages of 250 keep it near 15 ms, and the page can paint between them.
 */
async function readPaged<S extends 'songs' | 'analyses'>(db: IDBPDatabase<LibrarySchema>, store: S): Promise<LibrarySchema[S]['value'][]> {
  const all: LibrarySchema[S]['value'][] = [];
  let after: SongId | null = null;
  for (;;) {
    const range: IDBKeyRange | undefined = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
    const page: LibrarySchema[S]['value'][] = await db.getAll(store, range, READ_PAGE_RECORDS);
    for (const record of page) all.push(record);
    if (page.length < READ_PAGE_RECORDS) return all;
    after = page[page.length - 1].id;
  }
}

/** The music library in IndexedDB: songs, their audio and their artwork. */
export class LibraryDb {
  readonly #db: IDBPDatabase<LibrarySchema>;

  constructor(db: IDBPDatabase<LibrarySchema>) {
    this.#db = db;
  }

  /** Puts `records` into `store` in one transaction (nothing when there are none); a full disk is StorageFullError. */
  async #putAll<S extends 'links' | 'answers'>(store: S, records: readonly LibrarySchema[S]['value'][]): Promise<void> {
    if (records.length === 0) return;
    const tx = this.#db.transaction(store, 'readwrite');
    await translateQuota(Promise.all([...records.map((r) => tx.store.put(r)), tx.done]).then(() => undefined));
  }

  /** Every song, oldest first (ties by id, as the `addedAt` index orders them). */
  async listSongs(): Promise<SongRecord[]> {
    const songs = await readPaged(this.#db, 'songs');
    return songs.sort((a, b) => a.addedAt - b.addedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  getSong(id: SongId): Promise<SongRecord | undefined> {
    return this.#db.get('songs', id);
  }

  async getAudio(id: SongId): Promise<Blob | undefined> {
    return (await this.#db.get('audio', id))?.blob;
  }

  getArtwork(id: SongId): Promise<ArtworkRecord | undefined> {
    return this.#db.get('artwork', id);
  }

  /** Every stored analysis (one per analysed song). */
  listAnalyses(): Promise<SongAnalysis[]> {
    return readPaged(this.#db, 'analyses');
  }

  getAnalysis(id: SongId): Promise<SongAnalysis | undefined> {
    return this.#db.get('analyses', id);
  }

  /** Replaces a song's analysis (re-analysis, retry). Ignored when the song was deleted meanwhile. */
  async putAnalysis(analysis: SongAnalysis): Promise<boolean> {
    const tx = this.#db.transaction(['songs', 'analyses'], 'readwrite');
    const exists = (await tx.objectStore('songs').getKey(analysis.id)) !== undefined;
    if (exists) await tx.objectStore('analyses').put(analysis);
    await translateQuota(tx.done);
    return exists;
  }

  /**
   * Stores a song with its analysis, audio and artwork in one transaction: a tab closed half-way,
   * or a full disk, leaves either the whole song or nothing.
   * @throws StorageFullError when the quota is exhausted
   */
  async putSong(
    song: SongRecord,
    audio: Blob,
    artwork: Omit<ArtworkRecord, 'id'> | null,
    analysis: SongAnalysis | null = null,
  ): Promise<void> {
    const tx = this.#db.transaction(['songs', 'audio', 'artwork', 'analyses'], 'readwrite');
    const writes = [
      tx.objectStore('audio').put({ id: song.id, blob: audio }),
      artwork ? tx.objectStore('artwork').put({ id: song.id, ...artwork }) : tx.objectStore('artwork').delete(song.id),
      analysis ? tx.objectStore('analyses').put(analysis) : tx.objectStore('analyses').delete(song.id),
      tx.objectStore('songs').put({ ...song, hasArtwork: artwork !== null }),
    ];
    await translateQuota(Promise.all([...writes, tx.done]).then(() => undefined)).catch((error: unknown) => {
      // Make sure a failed write never leaves the transaction half-applied.
      try {
        tx.abort();
      } catch {
        /* already finished */
      }
      throw error;
    });
  }

  /**
   * Applies a library file in one transaction: `additions` are stored as songs without audio;
   * `textChanges` replace the text of songs already here (and nothing else about them).
   */
  async mergeMetadata(
    additions: readonly SongRecord[],
    textChanges: readonly (Pick<SongRecord, 'id'> & Partial<SongRecord>)[] = [],
  ): Promise<{ updated: number; added: number }> {
    const tx = this.#db.transaction('songs', 'readwrite');
    const store = tx.objectStore('songs');
    let updated = 0;
    let added = 0;
    for (const change of textChanges) {
      const existing = await store.get(change.id);
      if (!existing) continue;
      updated++;
      const { title, artist, album, trackNumber, year, genre } = { ...existing, ...change };
      await store.put({ ...existing, title, artist, album, trackNumber, year, genre });
    }
    for (const song of additions) {
      if (await store.get(song.id)) continue;
      added++;
      await store.put({ ...song, hasAudio: false, hasArtwork: false, warning: null });
    }
    await translateQuota(tx.done);
    return { updated, added };
  }

  /**
   * Stores a song of a linked folder: the song, its analysis, cover and where its file is, in
   * one transaction that also takes its path off the import queue. No audio: it plays from the file.
   * @throws StorageFullError when the quota is exhausted
   */
  async putLinkedSong(song: SongRecord, link: LinkRecord, artwork: Omit<ArtworkRecord, 'id'> | null, analysis: SongAnalysis): Promise<void> {
    const tx = this.#db.transaction(['songs', 'artwork', 'analyses', 'links', 'linkQueue'], 'readwrite');
    const writes = [
      artwork ? tx.objectStore('artwork').put({ id: song.id, ...artwork }) : tx.objectStore('artwork').delete(song.id),
      tx.objectStore('analyses').put(analysis),
      tx.objectStore('links').put(link),
      tx.objectStore('linkQueue').delete(link.relativePath),
      tx.objectStore('songs').put({ ...song, hasArtwork: artwork !== null }),
    ];
    await translateQuota(Promise.all([...writes, tx.done]).then(() => undefined));
  }

  listFolders(): Promise<FolderRecord[]> {
    return this.#db.getAll('folders');
  }

  async putFolder(folder: FolderRecord): Promise<void> {
    await translateQuota(this.#db.put('folders', folder));
  }

  /** Where every linked song's file is. */
  listLinks(): Promise<LinkRecord[]> {
    return this.#db.getAll('links');
  }

  /** Points links at new paths, sizes and times (moved or touched files); the songs stay as they are. */
  async putLinks(links: readonly LinkRecord[]): Promise<void> {
    await this.#putAll('links', links);
  }

  /** The files a linked folder's import has still to do (by path). */
  async listQueue(folderId: string): Promise<ScannedFile[]> {
    return (await this.#db.getAll('linkQueue')).filter((q) => q.folderId === folderId);
  }

  /** Replaces the import queue (a new rescan, or none) and the folder's import state, together. */
  async setQueue(folder: FolderRecord, files: readonly ScannedFile[]): Promise<void> {
    const tx = this.#db.transaction(['folders', 'linkQueue'], 'readwrite');
    const queue = tx.objectStore('linkQueue');
    const writes = [queue.clear(), ...files.map((f) => queue.put({ ...f, folderId: folder.id })), tx.objectStore('folders').put(folder), tx.done];
    await translateQuota(Promise.all(writes).then(() => undefined));
  }

  /**
   * Forgets a linked folder: its record, its import queue and every link (ignored ones too), in
   * one transaction. Its songs are deleted apart (`deleteSongs`); the files are never touched.
   */
  async deleteFolder(folderId: string): Promise<void> {
    const tx = this.#db.transaction(['folders', 'linkQueue', 'links'], 'readwrite');
    const queue = tx.objectStore('linkQueue');
    const queued = (await queue.getAll()).filter((q) => q.folderId === folderId);
    await Promise.all([tx.objectStore('folders').delete(folderId), ...queued.map((q) => queue.delete(q.relativePath)), tx.objectStore('links').clear(), tx.done]);
  }

  /** Takes one path off the queue (its song failed, or was already here). */
  async dequeue(relativePath: string): Promise<void> {
    await this.#db.delete('linkQueue', relativePath);
  }

  /**
   * Deletes songs together with their audio, artwork, analyses and feedback. A linked song's link
   * is deleted too when its file is gone (`fileGone`); when the user deleted the song, the link
   * stays, marked ignored, so a rescan does not add the file again.
   */
  async deleteSongs(ids: readonly SongId[], { fileGone = true }: { fileGone?: boolean } = {}): Promise<void> {
    const tx = this.#db.transaction(['songs', 'audio', 'artwork', 'analyses', 'feedback', 'links'], 'readwrite');
    const links = tx.objectStore('links');
    const unlink = async (id: SongId): Promise<unknown> => {
      const link = fileGone ? undefined : await links.get(id);
      return link ? links.put({ ...link, ignored: true }) : links.delete(id);
    };
    await Promise.all([
      ...ids.flatMap((id) => [
        unlink(id),
        tx.objectStore('songs').delete(id),
        tx.objectStore('audio').delete(id),
        tx.objectStore('artwork').delete(id),
        tx.objectStore('analyses').delete(id),
        tx.objectStore('feedback').delete(id),
      ]),
      tx.done,
    ]);
  }

  getVoiceProfile(): Promise<StoredVoiceProfile | undefined> {
    return this.#db.get('profiles', 'voice');
  }

  async putVoiceProfile(profile: StoredVoiceProfile): Promise<void> {
    await translateQuota(this.#db.put('profiles', profile));
  }

  async deleteVoiceProfile(): Promise<void> {
    await this.#db.delete('profiles', 'voice');
  }

  listFeedback(): Promise<SongFeedback[]> {
    return this.#db.getAll('feedback');
  }

  async putFeedback(feedback: SongFeedback): Promise<void> {
    await translateQuota(this.#db.put('feedback', feedback));
  }

  /** The mood history, oldest first. */
  listCheckIns(): Promise<CheckIn[]> {
    return this.#db.getAll('checkins');
  }

  async putCheckIn(checkIn: CheckIn): Promise<void> {
    await translateQuota(this.#db.put('checkins', checkIn));
  }

  /** Listening sessions with their outcomes, oldest first. */
  listSessions(): Promise<MoodSession[]> {
    return this.#db.getAll('sessions');
  }

  async putSession(session: MoodSession): Promise<void> {
    await translateQuota(this.#db.put('sessions', session));
  }

  /** The listener's answers paired with sensor readings (personal calibration's examples). */
  listAnswers(): Promise<PersonalAnswer[]> {
    return this.#db.getAll('answers');
  }

  async putAnswers(answers: readonly PersonalAnswer[]): Promise<void> {
    await this.#putAll('answers', answers);
  }

  /** Forgets every answer (the listener reset their personal tuning). */
  async clearAnswers(): Promise<void> {
    await this.#db.clear('answers');
  }

  /** Deletes the mood history: every check-in, every session with its outcome and every answer, together. */
  async clearMoodHistory(): Promise<void> {
    const tx = this.#db.transaction(['checkins', 'sessions', 'answers'], 'readwrite');
    await Promise.all([tx.objectStore('checkins').clear(), tx.objectStore('sessions').clear(), tx.objectStore('answers').clear(), tx.done]);
  }

  /** How many audio blobs are stored (a consistency check: equals songs with audio). */
  countAudio(): Promise<number> {
    return this.#db.count('audio');
  }

  close(): void {
    this.#db.close();
  }
}

export interface OpenLibraryOptions {
  /** Database name; tests use their own. */
  name?: string;
  /** Open at an older schema version (tests of the upgrade path). */
  version?: number;
  /**
   * Another tab wants a newer schema and waits until this connection closes: call `close()` —
   * at once, or after finishing work in progress (the other tab stays blocked until then).
   */
  onVersionChange?: (close: () => void) => void;
  /** This open waits: another tab holds the database at an older version and has not closed it. */
  onBlocked?: () => void;
  /** The browser closed the connection (site data cleared, disk failure): nothing more can be stored. */
  onTerminated?: () => void;
}

/** Opens (creating or upgrading as needed) the library database. */
export async function openLibraryDb(options: OpenLibraryOptions = {}): Promise<LibraryDb> {
  const version = options.version ?? LIBRARY_DB_VERSION;
  if (version < 1 || version > MIGRATIONS.length) throw new RangeError(`No schema version ${version}`);
  const db = await openDB<LibrarySchema>(options.name ?? LIBRARY_DB_NAME, version, {
    async upgrade(database, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < (newVersion ?? version); v++) await MIGRATIONS[v](database, tx);
    },
    blocked() {
      options.onBlocked?.();
    },
    blocking() {
      if (options.onVersionChange) options.onVersionChange(() => db.close());
      else db.close();
    },
    terminated() {
      options.onTerminated?.();
    },
  });
  return new LibraryDb(db);
}
