import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { crossfade } from '../../../../src/adapters/audio/decks.ts';
import { FakeDeck, song } from './fake-deck.ts';

/** Two playing decks: `from` with `remaining` seconds left, `to` at its start. */
async function decks(remainingSeconds: number): Promise<{ from: FakeDeck; to: FakeDeck }> {
  const from = new FakeDeck();
  const to = new FakeDeck();
  from.load(song(60));
  from.seek(60 - remainingSeconds);
  to.load(song(60));
  await from.play();
  await to.play();
  return { from, to };
}

describe('crossfade', () => {
  // A hidden page: no animation frames, and timers that never come in time.
  beforeEach(() => {
    vi.stubGlobal('requestAnimationFrame', () => 0);
    vi.stubGlobal('setInterval', () => 0);
    vi.stubGlobal('clearInterval', () => undefined);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('completes on the media clock alone (timeupdate), with volumes crossing', async () => {
    const { from, to } = await decks(3);
    const done = vi.fn();
    crossfade(from, to, 3, done);
    expect([from.volume, to.volume]).toEqual([1, 0]);
    for (let i = 0; i < 6; i++) [from, to].forEach((d) => d.tick());
    expect(from.volume).toBeCloseTo(0.5, 5);
    expect(to.volume).toBeCloseTo(0.5, 5);
    expect(done).not.toHaveBeenCalled();
    for (let i = 0; i < 6; i++) [from, to].forEach((d) => d.tick());
    expect(done).toHaveBeenCalledTimes(1);
    expect([from.volume, to.volume]).toEqual([0, 1]);
  });

  it('completes when the outgoing song ends, even if the incoming clock stalls', async () => {
    const { from, to } = await decks(1);
    const done = vi.fn();
    crossfade(from, to, 3, done);
    for (let i = 0; i < 4; i++) from.tick(); // only the outgoing deck moves; it ends after 1 s
    expect(done).toHaveBeenCalledTimes(1);
    expect(to.volume).toBe(1);
  });

  it('completes at once when the outgoing song already ended while the next one loaded', async () => {
    const { from, to } = await decks(0.25);
    from.tick();
    expect(from.paused).toBe(true);
    const done = vi.fn();
    crossfade(from, to, 3, done);
    expect(done).toHaveBeenCalledTimes(1);
    expect(to.volume).toBe(1);
  });

  it('does nothing more once cancelled', async () => {
    const { from, to } = await decks(3);
    const done = vi.fn();
    const cancel = crossfade(from, to, 3, done);
    from.tick();
    cancel();
    const volumes = [from.volume, to.volume];
    for (let i = 0; i < 20; i++) [from, to].forEach((d) => d.tick());
    expect(done).not.toHaveBeenCalled();
    expect([from.volume, to.volume]).toEqual(volumes);
  });
});
