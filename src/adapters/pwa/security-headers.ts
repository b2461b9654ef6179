/**
 * The app's security policy, in one place: served as real HTTP headers by `npm start` / `vite
 * preview`, written to `dist/_headers` for static hosts (Netlify, Cloudflare Pages), and set as a
 * `<meta>` in index.html for hosts that send no headers. Headers bind what a meta tag cannot: the
 * workers that parse untrusted files (a worker's policy comes from its own response) and framing.
 *
 * Nothing may load from, or be sent to, another origin: the music, the recordings and the models
 * stay on the device.
 */
const DIRECTIVES: Record<string, string> = {
  'default-src': "'self'",
  // tfjs and the audio decoders compile WebAssembly.
  'script-src': "'self' 'wasm-unsafe-eval'",
  // Svelte's style: bindings set inline styles.
  'style-src': "'self' 'unsafe-inline'",
  // Covers are object URLs of stored Blobs (data: for small inline images).
  'img-src': "'self' blob: data:",
  // Songs play from object URLs; the camera preview is a MediaStream.
  'media-src': "'self' blob: mediastream:",
  'connect-src': "'self'",
  'worker-src': "'self'",
  'font-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'none'",
};

/** The policy as a header value; `frame-ancestors` only works as a header, so the meta omits it. */
export function contentSecurityPolicy(where: 'header' | 'meta'): string {
  const directives = where === 'header' ? { ...DIRECTIVES, 'frame-ancestors': "'none'" } : DIRECTIVES;
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** Every response's security headers. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy('header'),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // The camera and microphone only for this app itself; nothing else it does not use.
  'Permissions-Policy': 'camera=(self), microphone=(self), geolocation=(), payment=(), usb=()',
};

/** `dist/_headers` (Netlify / Cloudflare Pages syntax): the same headers on every path. */
export function staticHostHeadersFile(): string {
  return ['/*', ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `  ${name}: ${value}`), ''].join('\n');
}
