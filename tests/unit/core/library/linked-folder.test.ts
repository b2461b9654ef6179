import { describe, expect, it } from 'vitest';
import { planRescan, secondsLeft, settleRescan, type LinkRecord, type ScannedFile } from '../../../../src/core/library/linked-folder.ts';

const id = (c: string): string => c.repeat(64);
const link = (relativePath: string, sizeBytes: number, lastModifiedMs: number, songId: string): LinkRecord => ({
  id: songId,
  folderId: 'music',
  relativePath,
  sizeBytes,
  lastModifiedMs,
});
const file = (relativePath: string, sizeBytes: number, lastModifiedMs: number): ScannedFile => ({ relativePath, sizeBytes, lastModifiedMs });

describe('planRescan', () => {
  it('leaves unchanged files alone, lists new ones and missing ones, and reads nothing it need not', () => {
    const previous = [link('a.mp3', 100, 1, id('a')), link('b.mp3', 200, 1, id('b'))];
    const plan = planRescan(previous, [file('a.mp3', 100, 1), file('c.mp3', 300, 5)]);
    expect(plan.unchanged.map((l) => l.relativePath)).toEqual(['a.mp3']);
    expect(plan.added.map((f) => f.relativePath)).toEqual(['c.mp3']);
    // c.mp3's size matches no missing file: it cannot be b.mp3 moved, so it is not hashed on its own.
    expect(plan.toHash).toEqual([]);
    expect(plan.missing.map((l) => l.relativePath)).toEqual(['b.mp3']);
  });

  it('hashes a file changed in place, and a new path as big as a missing file', () => {
    const previous = [link('a.mp3', 100, 1, id('a')), link('old/b.mp3', 200, 1, id('b'))];
    const plan = planRescan(previous, [file('a.mp3', 100, 9), file('new/b renamed.mp3', 200, 1)]);
    expect(plan.toHash.map((f) => f.relativePath).sort()).toEqual(['a.mp3', 'new/b renamed.mp3']);
    expect(plan.added).toEqual([]);
  });
});

describe('settleRescan', () => {
  const previous = [link('a.mp3', 100, 1, id('a')), link('old/b.mp3', 200, 1, id('b')), link('gone.mp3', 200, 1, id('g'))];
  const scanned = [file('a.mp3', 100, 9), file('new/b.mp3', 200, 1), file('fresh.mp3', 200, 3), file('other.mp3', 50, 3)];

  it('a renamed file keeps its song; a touched one is refreshed; a gone one vanishes; new ones are imported', () => {
    const plan = planRescan(previous, scanned);
    const outcome = settleRescan(
      plan,
      previous,
      new Map([
        ['a.mp3', id('a')],
        ['new/b.mp3', id('b')],
        ['fresh.mp3', id('f')],
      ]),
    );
    expect(outcome.moved).toEqual([{ link: previous[1], to: scanned[1] }]);
    expect(outcome.touched).toEqual([{ link: previous[0], to: scanned[0] }]);
    expect(outcome.vanished).toEqual([previous[2]]);
    expect(outcome.toImport.map((f) => f.relativePath).sort()).toEqual(['fresh.mp3', 'other.mp3']);
  });

  it('a file whose bytes changed in place is imported as a new song and the old one vanishes', () => {
    const plan = planRescan([previous[0]], [file('a.mp3', 120, 9)]);
    const outcome = settleRescan(plan, [previous[0]], new Map([['a.mp3', id('z')]]));
    expect(outcome.toImport.map((f) => f.relativePath)).toEqual(['a.mp3']);
    expect(outcome.vanished).toEqual([previous[0]]);
    expect(outcome.touched).toEqual([]);
  });

  it('a file that could not be hashed is imported (its import says why), never taken for a move', () => {
    const plan = planRescan(previous, scanned);
    const outcome = settleRescan(plan, previous, new Map([['a.mp3', id('a')]]));
    expect(outcome.moved).toEqual([]);
    expect(outcome.vanished.map((l) => l.relativePath).sort()).toEqual(['gone.mp3', 'old/b.mp3']);
  });
});

describe('secondsLeft', () => {
  it('is the pace so far times the songs left, and unknown before the first song', () => {
    expect(secondsLeft(0, 0, 10)).toBeNull();
    expect(secondsLeft(4, 2_000, 10)).toBe(5);
  });
});
