/** What the OS media controls (lock screen, media keys, notifications) show and can do. */
export interface MediaSessionInfo {
  title: string;
  artist: string;
  album: string;
  /** Object URL of the cover, if any. */
  artworkUrl: string | null;
  artworkType: string | null;
}

export interface MediaSessionHandlers {
  play(): void;
  pause(): void;
  previous(): void;
  next(): void;
  seekTo(seconds: number): void;
  seekBy(offsetSeconds: number): void;
}

const supported = (): boolean => typeof navigator !== 'undefined' && 'mediaSession' in navigator;

/** Registers the media key handlers once. */
export function bindMediaSession(handlers: MediaSessionHandlers): void {
  if (!supported()) return;
  const set = (action: MediaSessionAction, handler: MediaSessionActionHandler): void => {
    try {
      navigator.mediaSession.setActionHandler(action, handler);
    } catch {
      // Not every browser knows every action.
    }
  };
  set('play', () => handlers.play());
  set('pause', () => handlers.pause());
  set('previoustrack', () => handlers.previous());
  set('nexttrack', () => handlers.next());
  set('seekto', (d) => d.seekTime !== undefined && handlers.seekTo(d.seekTime));
  set('seekbackward', (d) => handlers.seekBy(-(d.seekOffset ?? 10)));
  set('seekforward', (d) => handlers.seekBy(d.seekOffset ?? 10));
}

export function setMediaSessionMetadata(info: MediaSessionInfo | null): void {
  if (!supported()) return;
  navigator.mediaSession.metadata = info
    ? new MediaMetadata({
        title: info.title,
        artist: info.artist,
        album: info.album,
        artwork: info.artworkUrl ? [{ src: info.artworkUrl, type: info.artworkType ?? undefined }] : [],
      })
    : null;
}

export function setMediaSessionPlayback(
  state: 'playing' | 'paused' | 'none',
  position?: { durationSeconds: number; positionSeconds: number; playbackRate: number },
): void {
  if (!supported()) return;
  navigator.mediaSession.playbackState = state;
  if (position && Number.isFinite(position.durationSeconds) && position.durationSeconds > 0) {
    try {
      navigator.mediaSession.setPositionState({
        duration: position.durationSeconds,
        position: Math.min(position.positionSeconds, position.durationSeconds),
        playbackRate: position.playbackRate,
      });
    } catch {
      // Throws for inconsistent values mid-seek; the next timeupdate corrects it.
    }
  }
}
