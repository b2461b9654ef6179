/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vite';

/** Model weights are several MiB; the service worker must still precache them for offline use. */
const MAX_PRECACHE_BYTES = 64 * 1024 * 1024;

export default defineConfig({
  root: 'src',
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  worker: {
    format: 'es',
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
  plugins: [
    svelte({ configFile: false }),
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
        globPatterns: ['**/*.{js,css,html,svg,png,webp,ico,wasm,json,bin,webmanifest}'],
        // ogg-opus-decoder's optional neural "speech enhancement" decoder (4 MB) is never used:
        // it loads only with speechQualityEnhancements, which the analyser does not request.
        globIgnores: ['**/*.map', '**/opus-ml-*.js'],
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_BYTES,
        navigateFallback: '/index.html',
        cleanupOutdatedCaches: true,
        // Take control on the very first visit, so offline works after one visit; updates still wait
        // for the user's "reload" (registerType: 'prompt').
        clientsClaim: true,
      },
    }),
  ],
  test: {
    root: '.',
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
