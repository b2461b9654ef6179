/** The app's screens, addressed by the URL hash so links, history and offline reloads work. */
export const SCREENS = ['library', 'feel', 'insights'] as const;
export type Screen = (typeof SCREENS)[number];

function parse(hash: string): Screen {
  const name = hash.replace(/^#\/?/, '');
  return (SCREENS as readonly string[]).includes(name) ? (name as Screen) : 'library';
}

export const router = $state<{ screen: Screen }>({ screen: parse(location.hash) });

window.addEventListener('hashchange', () => {
  router.screen = parse(location.hash);
});

/** Navigates to a screen (adds a history entry). */
export function go(screen: Screen): void {
  location.hash = `#/${screen}`;
}
