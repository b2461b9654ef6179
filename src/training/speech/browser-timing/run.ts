/**
 * `npx tsx src/training/speech/browser-timing/run.ts CLIP [MODEL_DIR] [BACKENDS]`
 *
 * Times the shipped speech model in real Chromium (Playwright; Debian's /usr/bin/chromium when
 * present, else $CHROMIUM_PATH or Playwright's own): bundles page.ts with esbuild, serves it, the
 * model files and the tfjs wasm binaries from localhost, and prints, per backend (default
 * wasm, webgl, cpu and the app's automatic choice), the `predict()` time for a 4-second
 * utterance — CLIP (any format NodeAudioDecoder reads), looped to 4 s — cold and adapted (with a
 * profile weighting, an adapted reading also runs the cold pass its weight comes from) — and for 10 minutes.
 * esbuild (tsx's and Vite's bundler) bundles the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { NodeAudioDecoder } from '../decode-audio.ts';
import { SHIPPED_MODEL_DIR, nodeWasmDirectory } from '../node-model.ts';

const [clipPath, modelArg, backendsArg] = process.argv.slice(2);
if (!clipPath) {
  console.error('usage: npx tsx src/training/speech/browser-timing/run.ts CLIP [MODEL_DIR] [wasm,webgl,cpu,auto]');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const modelDir = resolve(modelArg ?? SHIPPED_MODEL_DIR);
const decoder = new NodeAudioDecoder();
const audio = await decoder.decodeFile(clipPath);
decoder.free();
if (audio.sampleRateHz !== 16000) throw new Error('give a 16 kHz clip (the page sends 16 kHz samples)');
const clip = new Float32Array(4 * 16000);
for (let i = 0; i < clip.length; i++) clip[i] = audio.samples[i % audio.samples.length];
const bundle = await build({ entryPoints: [join(here, 'page.ts')], bundle: true, format: 'esm', write: false, platform: 'browser', target: 'es2022', logLevel: 'error' });
const wasmDir = nodeWasmDirectory();
const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  const send = (body: Uint8Array | string, type: string) => {
    response.writeHead(200, { 'content-type': type });
    response.end(body);
  };
  if (path === '/') return send('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>', 'text/html');
  if (path === '/page.js') return send(bundle.outputFiles[0].contents, 'text/javascript');
  if (path === '/clip.f32') return send(new Uint8Array(clip.buffer), 'application/octet-stream');
  const file = path.startsWith('/model/') ? join(modelDir, path.slice(7)) : path.startsWith('/tfjs/') ? join(wasmDir, path.slice(6)) : '';
  if (file && existsSync(file)) return send(readFileSync(file), file.endsWith('.wasm') ? 'application/wasm' : file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
  response.writeHead(404);
  response.end();
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const port = (server.address() as { port: number }).port;
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({ executablePath, args: ['--enable-unsafe-swiftshader'] });
for (const backend of (backendsArg ?? 'wasm,webgl,cpu,auto').split(',')) {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => 'timeSpeechModel' in globalThis);
  try {
    const t = await page.evaluate((b) => (globalThis as unknown as { timeSpeechModel: (b: string) => Promise<Record<string, number | string>> }).timeSpeechModel(b), backend);
    const ms = (x: number | string) => `${Number(x).toFixed(1)} ms`;
    console.log(`${backend.padEnd(5)} → ${t.chosen}${t.renderer ? ` (${t.renderer})` : ''}: warm-up ${ms(t.warmUpMs)}; 4 s utterance first ${ms(t.firstMs)}, warm ${ms(t.warmMs)}; adapted (profile weight ${Number(t.adaptedWeight).toFixed(3)}; with a weighting other than none this includes the cold pass) first ${ms(t.adaptedFirstMs)}, warm ${ms(t.adaptedWarmMs)}; 10 min ${ms(t.tenMinutesMs)} (${t.tenMinutesWindows} windows); ${t.tensors} tensors alive`);
  } catch (error) {
    console.log(`${backend}: failed — ${(error as Error).message.split('\n')[0]}`);
  }
  await page.close();
}
await browser.close();
server.close();
