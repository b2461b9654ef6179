import { describe, expect, it } from 'vitest';
import { collectDroppedFiles } from '../../../../src/adapters/files/dropped-files.ts';

type Fail = { fail: DOMException };
const file = (name: string, result: File | Fail) => ({
  name,
  isFile: true,
  isDirectory: false,
  file: (ok: (f: File) => void, fail: (e: DOMException) => void) => ('fail' in result ? fail(result.fail) : ok(result)),
});
/** A folder whose listing serves `children` once, or fails (as a folder deleted since the drop). */
const folder = (name: string, children: unknown[] | Fail) => ({
  name,
  isFile: false,
  isDirectory: true,
  createReader: () => {
    let served = false;
    return {
      readEntries: (ok: (e: unknown[]) => void, fail: (e: DOMException) => void) => {
        if ('fail' in children) return fail(children.fail);
        ok(served ? [] : children);
        served = true;
      },
    };
  },
});
const drop = (...entries: unknown[]) =>
  ({ items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry, getAsFile: () => null })), files: [] }) as unknown as DataTransfer;

describe('collectDroppedFiles', () => {
  it('skips and lists unreadable files and folders, and keeps everything else', async () => {
    const gone = { fail: new DOMException('A requested file or directory could not be found', 'NotFoundError') };
    const collected = await collectDroppedFiles(
      drop(
        folder('Album', [file('01 Song.mp3', new File(['a'], '01 Song.mp3')), file('02 Gone.mp3', gone), folder('Bonus', gone), file('cover.jpg', new File(['c'], 'cover.jpg'))]),
        file('single.flac', new File(['s'], 'single.flac')),
      ),
    );
    expect(collected.files.map((f) => f.relativePath)).toEqual(['Album/01 Song.mp3', 'single.flac']);
    expect(collected.skipped).toEqual(['Album/cover.jpg']);
    expect(collected.unreadable).toEqual([
      { path: 'Album/02 Gone.mp3', reason: 'NotFoundError: A requested file or directory could not be found' },
      { path: 'Album/Bonus/', reason: 'NotFoundError: A requested file or directory could not be found' },
    ]);
  });
});
