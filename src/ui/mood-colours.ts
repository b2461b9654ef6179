import type { MoodId } from '../core/emotion/circumplex.ts';

/**
 * One colour per mood, walking the circumplex: warm yellows for pleasant-calm → orange and red
 * for excited → magenta for tense → blues for sad → teal and green for sleepy and content.
 * All are light enough to read on the dark surface (≥ 4.5:1).
 */
export const MOOD_COLOURS: Record<MoodId, string> = {
  pleasure: '#ffd166',
  excitement: '#ffa05c',
  arousal: '#ff6f6f',
  distress: '#e884e0',
  misery: '#a393ff',
  depression: '#6fa3ff',
  sleepiness: '#4fd1c5',
  contentment: '#8fdc8f',
};
