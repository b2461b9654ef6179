import type { TfBackendName } from './tf-backend.ts';

/**
 * Which tfjs backends to try, fastest first, for this device. WebGL is fastest on a real GPU,
 * but on a software rasteriser (SwiftShader, llvmpipe: machines and VMs without a GPU, where
 * Chromium still offers WebGL) every shader runs on the CPU and tfjs's WebGL backend is many
 * times slower than its wasm one, so wasm goes first there. `localStorage['norae.backend']`
 * (e.g. "wasm") forces a choice, for troubleshooting.
 */
export function preferredBackends(): TfBackendName[] {
  try {
    const forced = localStorage.getItem('norae.backend');
    if (forced === 'webgl' || forced === 'wasm' || forced === 'cpu') return [forced, ...(['webgl', 'wasm', 'cpu'] as const).filter((b) => b !== forced)];
  } catch {
    // Storage blocked: decide from the device.
  }
  return softwareWebGl() ? ['wasm', 'webgl', 'cpu'] : ['webgl', 'wasm', 'cpu'];
}

function softwareWebGl(): boolean {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return true;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|software|basic render/i.test(renderer);
  } catch {
    return true;
  }
}
