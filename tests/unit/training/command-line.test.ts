import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordedCommand, repoRelative, withRepoRelativePaths } from '../../../src/training/command-line.ts';

const root = resolve(import.meta.dirname, '../../..');

describe('recorded commands speak of the repository only', () => {
  it('makes absolute paths relative to the repository, leaves the rest', () => {
    expect(repoRelative(resolve(root, '../shared/datasets/speech'))).toBe('../shared/datasets/speech');
    expect(repoRelative(resolve(root, 'node_modules/.cache/norae-face/train'))).toBe('node_modules/.cache/norae-face/train');
    expect(repoRelative('--cv-only')).toBe('--cv-only');
    expect(recordedCommand('train:speech', ['--data', resolve(root, '../shared/datasets/speech'), '--out=' + resolve(root, 'models/x'), '--cv-only'])).toBe(
      'npm run train:speech -- --data ../shared/datasets/speech --out=models/x --cv-only',
    );
    expect(recordedCommand('train:text', [])).toBe('npm run train:text');
    expect(withRepoRelativePaths({ data: resolve(root, 'a/b'), epochs: 40, classes: 'x,y' })).toEqual({ data: 'a/b', epochs: 40, classes: 'x,y' });
  });
});
