/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig, type Plugin } from 'vite';
import subsetFont from 'subset-font';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UI_FONT_TEXT, unicodeRange } from './src/ui/ui-font-text.ts';
import { SECURITY_HEADERS, contentSecurityPolicy, staticHostHeadersFile } from './src/adapters/pwa/security-headers.ts';

/**
 * The security policy from one source: the `<meta>` in index.html, and `_headers` for static
 * hosts (the preview server sends the same headers itself, below).
 */
function securityHeaders(): Plugin {
  return {
    name: 'norae-security-headers',
    transformIndexHtml: (html) => html.replace('%NORAE_CSP%', contentSecurityPolicy('meta')),
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: staticHostHeadersFile() });
    },
  };
}

/**
 * Files the app fetches at run time from its own origin (the CSP allows nothing else): model
 * weights from `models/`, face-api's bundled weights, and tfjs's wasm binaries. They are
 * emitted into the build (so the service worker precaches them) and served by the dev server.
 */
const RUNTIME_ASSETS: { from: string; to: string; include: RegExp }[] = [
  { from: 'models/speech-emotion', to: 'models/speech-emotion', include: /^(metadata\.json|model\.json|weights\.bin)$/ },
  { from: 'models/face-expression', to: 'models/face-expression', include: /^(metadata\.json|model\.json|weights\.bin)$/ },
  { from: 'models/text-emotion', to: 'models/text-emotion', include: /^(metadata\.json|weights\.bin)$/ },
  {
    from: 'node_modules/@vladmandic/face-api/model',
    to: 'models/face',
    include: /^(tiny_face_detector|ssd_mobilenetv1|face_landmark_68|face_expression)_model(-weights_manifest\.json|\.bin)$/,
  },
  // The threaded build needs cross-origin isolation (SharedArrayBuffer), which a plain static
  // host does not give; tfjs then loads the SIMD or the plain binary.
  { from: 'node_modules/@tensorflow/tfjs-backend-wasm/dist', to: 'tfjs', include: /^tfjs-backend-wasm(-simd)?\.wasm$/ },
];

function runtimeAssets(): Plugin {
  const root = import.meta.dirname;
  const files = (): { source: string; fileName: string }[] =>
    RUNTIME_ASSETS.flatMap(({ from, to, include }) => {
      const dir = resolve(root, from);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((name) => include.test(name) && !name.toLowerCase().endsWith('.md'))
        .map((name) => ({ source: join(dir, name), fileName: `${to}/${name}` }));
    });
  return {
    name: 'norae-runtime-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\//, '');
        const hit = files().find((f) => f.fileName === path);
        if (!hit) return next();
        res.setHeader('Content-Type', path.endsWith('.json') ? 'application/json' : path.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        res.end(readFileSync(hit.source));
      });
    },
    generateBundle() {
      for (const { source, fileName } of files()) this.emitFile({ type: 'asset', fileName, source: readFileSync(source) });
    },
  };
}

/**
 * Fontsource lists a `.woff` fallback after each `.woff2`; every browser that runs Norae reads
 * woff2, so the fallbacks are dropped rather than emitted into the build.
 */
function woff2Only(): Plugin {
  return {
    name: 'norae-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/@fontsource[\\/].*\.css$/.test(id)) return null;
      return { code: code.replace(/,\s*url\([^)]*\.woff\) format\('woff'\)/g, ''), map: null };
    },
  };
}

/** Where the full Noto Sans KR (one TrueType file per weight, OFL) comes from: build time only. */
const KOREAN_FONT_PACKAGE = 'node_modules/@expo-google-fonts/noto-sans-kr';
const KOREAN_UI_WEIGHTS = [
  { weight: 400, file: '400Regular/NotoSansKR_400Regular.ttf' },
  { weight: 700, file: '700Bold/NotoSansKR_700Bold.ttf' },
];
const KOREAN_UI_FONT_ID = 'virtual:korean-ui-font.css';

/**
 * `import 'virtual:korean-ui-font.css'` (src/ui/main.ts): Noto Sans KR subset, with harfbuzz's
 * hb-subset (subset-font), to the characters of the app's own words (src/ui/ui-font-text.ts),
 * one woff2 per weight (about 50 KB each, against ~0.5 MB for the 46 Fontsource slices those
 * words touched), declared as the family "Noto Sans KR UI" with a `unicode-range` of exactly
 * those characters. The files are made once per text and font version, kept in
 * node_modules/.cache, and emitted (hashed) and precached like any asset.
 */
function koreanUiFont(): Plugin {
  const root = import.meta.dirname;
  let made: Promise<string> | undefined;
  const make = async (): Promise<string> => {
    const fontDir = resolve(root, KOREAN_FONT_PACKAGE);
    const versionOf = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    const key = createHash('sha256')
      .update(JSON.stringify([UI_FONT_TEXT, versionOf(fontDir), versionOf(resolve(root, 'node_modules/subset-font')), KOREAN_UI_WEIGHTS]))
      .digest('hex')
      .slice(0, 16);
    const dir = resolve(root, 'node_modules/.cache/norae-korean-ui-font', key);
    const css = join(dir, 'korean-ui-font.css');
    if (existsSync(css)) return css;
    mkdirSync(dir, { recursive: true });
    const range = unicodeRange(UI_FONT_TEXT);
    const faces: string[] = [];
    for (const { weight, file } of KOREAN_UI_WEIGHTS) {
      const woff2 = await subsetFont(readFileSync(join(fontDir, file)), UI_FONT_TEXT, { targetFormat: 'woff2' });
      writeFileSync(join(dir, `noto-sans-kr-ui-${weight}.woff2`), woff2);
      // block: the UI's Korean words show once their glyphs are there, never as empty boxes first.
      faces.push(
        `@font-face {\n  font-family: 'Noto Sans KR UI';\n  font-style: normal;\n  font-weight: ${weight};\n  font-display: block;\n` +
          `  src: url(./noto-sans-kr-ui-${weight}.woff2) format('woff2');\n  unicode-range: ${range};\n}\n`,
      );
    }
    // Written last (and whole) so that an interrupted build never leaves a stylesheet without its fonts.
    writeFileSync(`${css}.tmp`, faces.join(''));
    renameSync(`${css}.tmp`, css);
    return css;
  };
  return {
    name: 'norae-korean-ui-font',
    resolveId(id) {
      if (id !== KOREAN_UI_FONT_ID) return null;
      made ??= make();
      return made;
    },
  };
}

/** Model weights are several MiB; the service worker must still precache them for offline use. */
const MAX_PRECACHE_BYTES = 64 * 1024 * 1024;

export default defineConfig({
  root: 'src',
  // The Korean UI font's characters, for korean-font.ts to know which need the full font.
  define: { 'import.meta.env.NORAE_UI_FONT_TEXT': JSON.stringify(UI_FONT_TEXT) },
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // Source maps are not published: they would ship the whole source to every visitor.
    sourcemap: false,
  },
  worker: {
    format: 'es',
  },
  preview: {
    port: 4173,
    strictPort: true,
    headers: SECURITY_HEADERS,
  },
  plugins: [
    svelte({ configFile: false }),
    woff2Only(),
    koreanUiFont(),
    runtimeAssets(),
    securityHeaders(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/*.svg', 'icons/*.png'],
      manifest: {
        id: '/',
        name: 'Norae — music for how you feel',
        short_name: 'Norae',
        description: 'Plays the songs in your own library that fit how you feel. Everything runs on your device.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#0f1115',
        theme_color: '#14161c',
        categories: ['music', 'entertainment'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The Korean UI font (two ~50 KB files) is precached: the Korean UI reads right offline from the first visit.
        globPatterns: ['**/*.{js,css,html,svg,png,webp,ico,wasm,json,bin,webmanifest}', 'assets/noto-sans-kr-ui-*.woff2'],
        // ogg-opus-decoder's optional neural "speech enhancement" decoder (4 MB) is never used:
        // it loads only with speechQualityEnhancements, which the analyser does not request.
        globIgnores: ['**/*.map', '**/opus-ml-*.js'],
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_BYTES,
        navigateFallback: '/index.html',
        cleanupOutdatedCaches: true,
        // Take control on the very first visit, so offline works after one visit; updates still wait
        // for the user's "reload" (registerType: 'prompt').
        clientsClaim: true,
        // The full Korean font's slices are not precached (5 MB, most never needed): each is cached
        // the first time the page shows one of its characters, and served from there offline.
        runtimeCaching: [
          {
            urlPattern: ({ sameOrigin, url }) => sameOrigin && url.pathname.endsWith('.woff2'),
            handler: 'CacheFirst',
            options: { cacheName: 'norae-fonts', expiration: { maxEntries: 400 } },
          },
        ],
      },
    }),
  ],
  test: {
    root: '.',
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // A test that asserts nothing fails: it cannot pass by never reaching its expectations.
    expect: { requireAssertions: true },
  },
});
