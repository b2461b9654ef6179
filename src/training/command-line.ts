import { isAbsolute, relative, resolve } from 'node:path';

/** The repository's root (this file is src/training/command-line.ts). */
const REPO_ROOT = resolve(import.meta.dirname, '../..');

/**
 * A path as the repository speaks of it: relative to its root (../shared/datasets/speech, not
 * where one machine keeps it). Anything that is not an absolute path is returned unchanged.
 */
export function repoRelative(value: string): string {
  return isAbsolute(value) ? relative(REPO_ROOT, value) || '.' : value;
}

/**
 * The command a training run was started with, for its record and model card, with every
 * absolute path made relative to the repository: nothing of the machine it ran on is kept.
 */
export function recordedCommand(script: string, args: readonly string[] = process.argv.slice(2)): string {
  const shown = args.map((a) => {
    const [flag, value] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=') + 1), a.slice(a.indexOf('=') + 1)] : ['', a];
    return flag + repoRelative(value);
  });
  return [`npm run ${script}`, ...(shown.length ? ['--', ...shown] : [])].join(' ');
}

/** Every string value of a settings object that is an absolute path, made repository-relative. */
export function withRepoRelativePaths<T>(settings: T): T {
  if (!settings || typeof settings !== 'object') return settings;
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, typeof v === 'string' ? repoRelative(v) : v])) as T;
}
