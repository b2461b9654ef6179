import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** The tfjs backends Norae uses, fastest first. */
export type TfBackendName = 'webgl' | 'wasm' | 'cpu';

/**
 * Where the tfjs wasm binaries are served from (our own origin: the CSP forbids any other).
 * Copy `node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm{,-simd,-threaded-simd}.wasm`
 * there. In Node, pass the folder path instead (see {@link nodeWasmDirectory}).
 */
export const DEFAULT_TFJS_WASM_PATH = '/tfjs/';

export interface SelectBackendOptions {
  /** Backends to try, in order (default webgl → wasm → cpu). */
  order?: readonly TfBackendName[];
  /** URL prefix (or, in Node, folder path ending in `/`) of the tfjs wasm binaries. */
  wasmPathPrefix?: string;
  /** Accept a software WebGL implementation (SwiftShader, llvmpipe); default false, see {@link selectBackend}. */
  allowSoftwareWebgl?: boolean;
}

/** Renderers that emulate WebGL on the CPU. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The WebGL renderer string of the active webgl backend ('' when unknown). */
export function webglRenderer(): string {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (!gl) return '';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
}

let selection: Promise<TfBackendName> | null = null;
let selectionKey = '';
let wasmPathsSet = false;

/**
 * Chooses the tfjs backend, once per realm (the page, each model's worker, a Node process): WebGL
 * when the device has a GPU (fastest for convolutions), else wasm (SIMD CPU code, several
 * times faster than plain JS), else the pure-JS cpu backend, which always works. A backend
 * that fails to initialise (no WebGL context, wasm binaries not served) is skipped, and so is
 * WebGL emulated on the CPU (SwiftShader on GPU-less machines): measured in Chromium here, the
 * speech model on a 4 s utterance took 57 ms warm and 1.3 s on first use (shader compilation)
 * on SwiftShader, against 12 ms warm and 73 ms first on wasm.
 * Later calls return the first call's choice (with the same options) without re-initialising.
 * Resolves to the backend now active.
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<TfBackendName> {
  const order = options.order ?? (['webgl', 'wasm', 'cpu'] as const);
  const key = `${order.join(',')}|${options.wasmPathPrefix ?? ''}`;
  if (selection && key === selectionKey) return selection;
  selectionKey = key;
  selection = (async () => {
    for (const name of order) {
      try {
        if (name === 'wasm' && !wasmPathsSet) {
          // Must precede the wasm backend's first initialisation; it cannot be changed after.
          setWasmPaths(options.wasmPathPrefix ?? DEFAULT_TFJS_WASM_PATH);
          wasmPathsSet = true;
        }
        if (await tf.setBackend(name)) {
          await tf.ready();
          if (name === 'webgl' && !options.allowSoftwareWebgl && SOFTWARE_RENDERER.test(webglRenderer())) continue;
          return name;
        }
      } catch {
        // Try the next backend: this one is unavailable here.
      }
    }
    throw new Error(`no tfjs backend could be initialised (tried ${order.join(', ')})`);
  })();
  return selection;
}

/** The backend tfjs is using now (null before {@link selectBackend}). */
export function activeBackend(): TfBackendName | null {
  const name = tf.getBackend();
  return name === 'webgl' || name === 'wasm' || name === 'cpu' ? name : null;
}
