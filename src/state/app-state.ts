import { LibraryState } from './library.svelte.ts';
import { PlayerState } from './player.svelte.ts';

/** The app's single library and player; components import them rather than passing props down. */
export const library = new LibraryState();
export const player = new PlayerState(library);
