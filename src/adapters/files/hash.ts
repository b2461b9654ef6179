import { toHex, type SongId } from '../../core/library/song.ts';

/** SHA-256 of a file's bytes as lowercase hex: the song's id. WebCrypto hashes ~1 GB/s. */
export async function sha256Hex(bytes: BufferSource): Promise<SongId> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}
