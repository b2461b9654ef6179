import { describe, expect, it } from 'vitest';
import { toCheckInCsv } from '../../../../src/core/sessions/history-export.ts';
import { normaliseDistribution } from '../../../../src/core/emotion/emotions.ts';

describe('mood history CSV', () => {
  it('writes one quoted-as-needed row per check-in, oldest first', () => {
    const base = {
      modalities: ['voice' as const, 'face' as const],
      emotion: 'happy' as const,
      distribution: normaliseDistribution({ happy: 1 }),
      valence: 0.61234,
      arousal: 0.2,
      mood: 'pleasure' as const,
      confidence: 0.9,
      playedSongIds: ['a', 'b'],
    };
    const csv = toCheckInCsv([
      { ...base, id: 2000, mode: 'lift-up', modalities: ['voice', 'text'], words: '퇴근길, 너무 지쳤어' },
      { ...base, id: 1000, mode: 'say "hi", ok' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'time,modalities,emotion,valence,arousal,mood,confidence,mode,played_song_ids,words',
      '1970-01-01T00:00:01.000Z,voice face,happy,0.612,0.200,pleasure,0.900,"say ""hi"", ok",a b,',
      '1970-01-01T00:00:02.000Z,voice text,happy,0.612,0.200,pleasure,0.900,lift-up,a b,"퇴근길, 너무 지쳤어"',
      '',
    ]);
  });
});
