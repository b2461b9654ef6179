import type { ScannedFile } from '../../core/library/linked-folder.ts';
import { isSkippedInFolder } from '../../core/library/folder-filter.ts';

/**
 * `values()` of a directory handle: in Chromium's File System Access API, but in TypeScript's
 * lib only under DOM.AsyncIterable, which the page and the workers do not load.
 */
interface IterableDirectory {
  values(): AsyncIterableIterator<FileSystemDirectoryHandle | FileSystemFileHandle>;
}

/**
 * Walks a linked folder, sub-folders included, and lists the files that may be songs (covers,
 * playlists and dot-files are left out; sniffing the bytes decides later). Reads no file's
 * bytes: `getFile()` only stats it. Runs in a worker (the handle is posted to it).
 */
export async function walkFolder(root: FileSystemDirectoryHandle, signal?: AbortSignal): Promise<ScannedFile[]> {
  const found: ScannedFile[] = [];
  const stack: { dir: FileSystemDirectoryHandle; prefix: string }[] = [{ dir: root, prefix: '' }];
  while (stack.length > 0) {
    signal?.throwIfAborted();
    const { dir, prefix } = stack.pop() as { dir: FileSystemDirectoryHandle; prefix: string };
    for await (const entry of (dir as unknown as IterableDirectory).values()) {
      const relativePath = prefix + entry.name;
      if (entry.kind === 'directory') {
        if (!entry.name.startsWith('.')) stack.push({ dir: entry, prefix: `${relativePath}/` });
      } else if (!isSkippedInFolder(relativePath)) {
        const file = await entry.getFile();
        found.push({ relativePath, sizeBytes: file.size, lastModifiedMs: file.lastModified });
      }
    }
  }
  return found;
}

/** The file at `relativePath` inside a linked folder (throws NotFoundError when it is gone). */
export async function fileInFolder(root: FileSystemDirectoryHandle, relativePath: string): Promise<File> {
  const parts = relativePath.split('/');
  let dir = root;
  for (const name of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(name);
  return (await dir.getFileHandle(parts[parts.length - 1])).getFile();
}
