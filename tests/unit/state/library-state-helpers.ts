import { expect } from 'vitest';
import type { LibraryDeps } from '../../../src/state/library-deps.ts';
import { LibraryState } from '../../../src/state/library.svelte.ts';

/** A LibraryState on `deps`, opened, that must not have failed to open. */
export async function openLibrary(deps: LibraryDeps): Promise<LibraryState> {
  const library = new LibraryState(deps);
  await library.open();
  expect(library.fatal).toBeNull();
  return library;
}

/** Waits (a few seconds at most) until `ready` holds. */
export async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(ready()).toBe(true);
}
