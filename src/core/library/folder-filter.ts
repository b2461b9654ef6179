/**
 * Files inside a dropped folder that are certainly not songs (covers, playlists, rip logs,
 * OS litter). They are skipped quietly and counted, instead of filling the list with errors;
 * a file dropped on its own is always tried and explained.
 */
const NOT_SONG_EXTENSIONS = new Set([
  'jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'heic', 'tif', 'tiff', 'ico',
  'txt', 'nfo', 'log', 'cue', 'm3u', 'm3u8', 'pls', 'xspf', 'sfv', 'md5', 'accurip', 'ffp',
  'pdf', 'htm', 'html', 'url', 'ini', 'db', 'json', 'xml', 'lrc', 'srt',
]);

/** True for a path inside a dropped folder that should not be imported. */
export function isSkippedInFolder(relativePath: string): boolean {
  const name = relativePath.split('/').pop() ?? relativePath;
  if (name.startsWith('.')) return true; // .DS_Store, ._AppleDouble twins, .nomedia
  if (name === 'Thumbs.db' || name === 'desktop.ini') return true;
  const dot = name.lastIndexOf('.');
  return dot > 0 && NOT_SONG_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}
