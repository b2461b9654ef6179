import modelJson from '../../../models/music-emotion/model-v1.json' with { type: 'json' };
import { parseMusicEmotionModel, type MusicEmotionModel } from './emotion-model.ts';

/**
 * The music emotion model that ships with the app (fitted by `npm run train:music`, described
 * in `models/music-emotion/MODEL_CARD.md`), validated once at load. It is a few KB of JSON,
 * so it is bundled rather than fetched.
 */
export const SHIPPED_MUSIC_EMOTION_MODEL: MusicEmotionModel = parseMusicEmotionModel(modelJson);
