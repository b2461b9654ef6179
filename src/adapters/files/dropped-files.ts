import { isSkippedInFolder } from '../../core/library/folder-filter.ts';

/** A file to import with its path relative to what the user dropped or picked. */
export interface CollectedFile {
  file: File;
  relativePath: string;
}

export interface CollectedFiles {
  files: CollectedFile[];
  /** Names of files inside folders that were skipped as certainly not music. */
  skipped: string[];
  /**
   * Files and folders the browser could not read (moved or deleted since the drop, no
   * permission, a broken link): skipped, the rest of the drop goes on.
   */
  unreadable: { path: string; reason: string }[];
}

const reasonOf = (error: unknown): string => (error instanceof Error || error instanceof DOMException ? `${error.name}: ${error.message}` : String(error));

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: CollectedFiles, inFolder: boolean): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    if (inFolder && isSkippedInFolder(path)) {
      out.skipped.push(path);
      return;
    }
    try {
      out.files.push({ file: await entryFile(entry as FileSystemFileEntry), relativePath: path });
    } catch (error) {
      out.unreadable.push({ path, reason: reasonOf(error) });
    }
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most 100 entries per call in Chromium: read until empty.
  const children: FileSystemEntry[] = [];
  try {
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) children.push(...batch);
  } catch (error) {
    // Keep what was listed before the folder became unreadable.
    out.unreadable.push({ path: `${path}/`, reason: reasonOf(error) });
  }
  children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  for (const child of children) await walk(child, path, out, true);
}

/**
 * Everything dropped: files and, recursively, the files inside dropped folders. Must be called
 * synchronously inside the `drop` handler (the browser empties the DataTransfer afterwards);
 * the returned promise may settle later.
 */
export function collectDroppedFiles(data: DataTransfer): Promise<CollectedFiles> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(data.files));
  return (async () => {
    const out: CollectedFiles = { files: loose.map((file) => ({ file, relativePath: file.name })), skipped: [], unreadable: [] };
    for (const entry of entries) await walk(entry, '', out, false);
    return out;
  })();
}

/** Files from an `<input type=file>`, with folder paths when it has `webkitdirectory`. */
export function collectPickedFiles(list: FileList, fromFolder: boolean): CollectedFiles {
  const out: CollectedFiles = { files: [], skipped: [], unreadable: [] };
  for (const file of Array.from(list)) {
    const relativePath = file.webkitRelativePath || file.name;
    if (fromFolder && isSkippedInFolder(relativePath)) out.skipped.push(relativePath);
    else out.files.push({ file, relativePath });
  }
  if (fromFolder) out.files.sort((a, b) => a.relativePath.localeCompare(b.relativePath, undefined, { numeric: true }));
  return out;
}
