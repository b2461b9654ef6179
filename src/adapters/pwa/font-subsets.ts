/**
 * Which subsets of a Fontsource stylesheet (one `@font-face` per `unicode-range` subset) hold the
 * glyphs of a text. The build precaches the subsets of the app's own Korean words, so its UI reads
 * right offline from the first visit; other subsets (song titles) are cached as they are shown.
 */
export function fontSubsetsCovering(css: string, text: string): string[] {
  const faces = [...css.matchAll(/@font-face\s*{([^}]*)}/g)].flatMap(([, body]) => {
    const file = /url\([^)]*?([\w.-]+)\.woff2\)/.exec(body)?.[1];
    const ranges = /unicode-range:\s*([^;]+);/.exec(body)?.[1];
    return file && ranges ? [{ file, ranges: parseUnicodeRanges(ranges) }] : [];
  });
  const wanted = new Set<string>();
  for (const char of new Set(text)) {
    const codePoint = char.codePointAt(0) ?? 0;
    const face = faces.find((f) => f.ranges.some(([first, last]) => codePoint >= first && codePoint <= last));
    if (face) wanted.add(face.file);
  }
  return [...wanted].sort();
}

/** `U+0-ff,U+131,U+4??` → inclusive code point ranges. */
function parseUnicodeRanges(list: string): [number, number][] {
  return list.split(',').map((part) => {
    const spec = part.trim().replace(/^U\+/i, '');
    if (spec.includes('?')) return [parseInt(spec.replaceAll('?', '0'), 16), parseInt(spec.replaceAll('?', 'f'), 16)];
    const [first, last = first] = spec.split('-');
    return [parseInt(first, 16), parseInt(last, 16)];
  });
}
