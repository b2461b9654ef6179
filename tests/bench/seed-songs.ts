import type { Page } from '@playwright/test';
import { ANALYSER_VERSION } from '../../src/core/music/emotion-model.ts';

/**
 * Writes `count` songs with analyses straight into IndexedDB (no audio: what is measured is the
 * library's views and the recommender, not playback). Seeded: the same library every run.
 */
export async function seedSongs(page: Page, count: number): Promise<void> {
  await page.evaluate(async ({ analyserVersion, count }) => {
    const moods = ['pleasure', 'excitement', 'arousal', 'distress', 'misery', 'depression', 'sleepiness', 'contentment'];
    const open = indexedDB.open('norae');
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(['songs', 'analyses'], 'readwrite');
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let i = 0; i < count; i++) {
      const id = i.toString(16).padStart(64, '0');
      const valence = random() * 0.9;
      const arousal = random() * 0.9;
      const angle = ((Math.atan2(arousal, valence) * 180) / Math.PI + 360) % 360;
      const mood = moods[Math.floor(((angle + 22.5) % 360) / 45)];
      tx.objectStore('songs').put({
        id, fileName: `song ${i}.mp3`, relativePath: `song ${i}.mp3`, format: 'mp3', mimeType: 'audio/mpeg', sizeBytes: 1,
        title: `Song ${i}`, artist: `Artist ${i % 97}`, album: `Album ${i % 31}`, trackNumber: null, year: null, genre: '',
        durationSeconds: 180, sampleRateHz: 44100, channelCount: 2, hasArtwork: false, addedAt: i, warning: null, hasAudio: true,
      });
      tx.objectStore('analyses').put({
        id, analyserVersion, analysedAt: 0, status: 'ok', features: {}, bpm: 120, error: null,
        emotion: { valence, arousal, mood, intensity: Math.hypot(valence, arousal), contributions: { valence: [], arousal: [] } },
      });
    }
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, { analyserVersion: ANALYSER_VERSION, count });
}
