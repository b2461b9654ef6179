import { LibraryState } from './library.svelte.ts';
import { browserLibraryDeps } from './library-deps.ts';
import { PlayerState } from './player.svelte.ts';
import { VoiceState } from './voice.svelte.ts';
import { FaceState } from './face.svelte.ts';
import { SessionState } from './session.svelte.ts';

/** The app's single library and player; components import them rather than passing props down. */
export const library = new LibraryState(browserLibraryDeps());
export const player = new PlayerState(library);
library.onSongsDeleted((ids) => player.forget(ids));
export const voice = new VoiceState(() => library.db);
export const face = new FaceState();
export const session = new SessionState(library, player, voice, face);
