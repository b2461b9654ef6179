/**
 * Codecs Chromium's built-in decoder handles. When a recognised container fails to decode, this
 * tells "damaged file" apart from "codec the browser does not ship" (ALAC, AC-3, DTS, …).
 */
const DECODABLE = [/mpeg.*layer\s*(1|2|3|i{1,3})\b/i, /^mp3$/i, /aac/i, /mp4a/i, /opus/i, /vorbis/i, /flac/i, /pcm/i, /^lpcm$/i];

/** True when the codec is unknown (assume the best) or one Chromium decodes. */
export function isDecodableCodec(codec: string | undefined): boolean {
  if (!codec) return true;
  return DECODABLE.some((re) => re.test(codec));
}
