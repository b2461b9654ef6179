/// <reference lib="webworker" />
import { sniffAudioFormat } from '../core/library/audio-format.ts';
import type { ProbeResult } from '../core/library/import-pipeline.ts';
import { sha256Hex } from '../adapters/files/hash.ts';
import { walkFolder } from '../adapters/files/folder-walk.ts';
import type { ScannedFile } from '../core/library/linked-folder.ts';
import { readTags } from '../adapters/audio/tags.ts';
import { makeThumbnail } from '../adapters/images/thumbnail.ts';
import { exposeWorker, type TaskContext } from './rpc.ts';
import { analyseChannels, analyseEncoded, type AnalyseReply } from './song-analysis.ts';

export type { AnalyseReply };

/** What probing a file returns: the pipeline's facts plus the cover pictures to store. */
export interface ProbeReply extends ProbeResult {
  artwork: { full: Blob; thumb: Blob | null } | null;
  /**
   * The audio to store: a memory-backed copy of the file's bytes, made here so the page never
   * copies megabytes on its own thread. (Not a reference to the picked file: Chromium checks
   * quota, and so reports a full disk, only for bytes it is handed, and a stored song must not
   * depend on the original file staying where it was.) Null for files that will not be stored.
   */
  audio: Blob | null;
}

/**
 * Reads a file once, off the main thread: what it is (magic bytes), who it is (SHA-256) and
 * what its tags say, with a thumbnail of its cover.
 */
async function probe(arg: { file: Blob; keepCopy?: boolean }, ctx: TaskContext): Promise<ProbeReply> {
  const bytes = new Uint8Array(await arg.file.arrayBuffer());
  ctx.progress(0.3);
  const sniff = sniffAudioFormat(bytes);
  const id = await sha256Hex(bytes);
  ctx.progress(0.6);
  if (sniff.kind !== 'audio' || !sniff.playable) {
    return { sniff, id, tags: {}, hasArtwork: false, artwork: null, audio: null };
  }
  const { tags, picture } = await readTags(bytes, sniff.mimeType, bytes.byteLength);
  let artwork: ProbeReply['artwork'] = null;
  if (picture) {
    const full = new Blob([picture.data as Uint8Array<ArrayBuffer>], { type: picture.mimeType });
    const thumb = await makeThumbnail(full);
    // A cover the browser cannot draw is not worth storing.
    if (thumb) artwork = { full, thumb };
  }
  ctx.progress(1);
  // A linked song plays from its file: no copy (`keepCopy: false`).
  const audio = arg.keepCopy === false ? null : new Blob([bytes], { type: sniff.mimeType });
  return { sniff, id, tags, hasArtwork: artwork !== null, artwork, audio };
}

/** Walks a linked folder off the page (handles can be posted to workers): paths, sizes, times. */
function scanFolder(arg: { root: FileSystemDirectoryHandle }): Promise<ScannedFile[]> {
  return walkFolder(arg.root);
}

/** SHA-256 of a whole file (the song id), to tell a moved file from a new one. */
async function hashFile(arg: { file: Blob }): Promise<string> {
  return sha256Hex(await arg.file.arrayBuffer());
}

/**
 * Decodes a file's excerpts with our wasm decoders and analyses them (throws decoder errors by
 * name). The file is read here, range by range, never whole on the page.
 */
async function analyseFile(
  arg: { file: Blob; formatHint: string; durationHintSeconds?: number; webCodecs?: boolean },
  ctx: TaskContext,
): Promise<AnalyseReply> {
  return analyseEncoded(arg.file, arg.formatHint, { durationHintSeconds: arg.durationHintSeconds, webCodecs: arg.webCodecs }, (f) => ctx.progress(f));
}

/** Analyses samples the page decoded with the browser's decoder (formats we have no wasm for). */
async function analysePcm(arg: { channels: Float32Array[]; sampleRateHz: number }, ctx: TaskContext): Promise<AnalyseReply> {
  return analyseChannels(arg.channels, arg.sampleRateHz, (f) => ctx.progress(f));
}

export const libraryWorkerApi = { probe, scanFolder, hashFile, analyseFile, analysePcm };
export type LibraryWorkerApi = typeof libraryWorkerApi;

exposeWorker(libraryWorkerApi, self);
