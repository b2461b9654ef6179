import { parseBuffer, selectCover } from 'music-metadata';
import type { SongTags } from '../../core/library/song.ts';

export interface EmbeddedPicture {
  data: Uint8Array;
  mimeType: string;
}

export interface ReadTagsResult {
  tags: SongTags;
  picture: EmbeddedPicture | null;
}

/**
 * Reads title, artist, album, track, year, genre, the container's claimed duration and the front
 * cover with music-metadata (ID3v1/v2, Vorbis comments, MP4 atoms, RIFF INFO, APE). Broken tags
 * never fail an import: the file name stands in and decoding decides whether the audio is good.
 */
export async function readTags(bytes: Uint8Array, mimeType: string, sizeBytes: number): Promise<ReadTagsResult> {
  try {
    const metadata = await parseBuffer(bytes, { mimeType, size: sizeBytes }, { duration: false, skipPostHeaders: true });
    const { common, format } = metadata;
    const picture = selectCover(common.picture);
    const year = common.year ?? (common.date ? Number.parseInt(common.date, 10) : undefined);
    return {
      tags: {
        title: common.title,
        artist: common.artist ?? common.albumartist,
        album: common.album,
        trackNumber: common.track?.no ?? undefined,
        year: Number.isFinite(year) ? year : undefined,
        genre: common.genre?.[0],
        durationSeconds: format.duration,
        sampleRateHz: format.sampleRate,
        channelCount: format.numberOfChannels,
        codec: format.codec,
      },
      picture: picture ? { data: picture.data, mimeType: picture.format || 'image/jpeg' } : null,
    };
  } catch {
    return { tags: {}, picture: null };
  }
}
