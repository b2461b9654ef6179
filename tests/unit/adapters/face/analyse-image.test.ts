import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS, affectFromDistribution } from '../../../../src/core/emotion/emotions.ts';
import { FaceAnalysisError, isFaceAnalysisError } from '../../../../src/core/face/face-errors.ts';
import { IDENTITY_CALIBRATION } from '../../../../src/core/face/calibration.ts';
import { analyseImage, type FaceAnalysis } from '../../../../src/adapters/face/analyse-image.ts';
import type { FaceModels } from '../../../../src/adapters/face/face-models.ts';
import { decodeImage } from '../../../../src/training/face/decode-image.ts';
import { loadFaceModelsInNode } from '../../../../src/training/face/node-face.ts';

// face-api's own demo photos (MIT, shipped in the pinned npm package): real faces, no dataset needed.
const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
const photo = (n: number) => decodeImage(new Uint8Array(readFileSync(join(demo, `sample${n}.jpg`))));

let models: FaceModels;
let group: tf.Tensor3D; // sample5: five people on a staircase
let crop: tf.Tensor3D; // one face of sample6, cut tight and shrunk to a 48-px grey FER-style crop

async function expectFaceError(promise: Promise<unknown>, code: FaceAnalysisError['code']): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isFaceAnalysisError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
}

function checkFace(face: FaceAnalysis['faces'][number]): void {
  expect(EMOTIONS.reduce((s, l) => s + face.distribution[l], 0)).toBeCloseTo(1, 6);
  expect(face.distribution.contempt).toBe(0);
  const affect = affectFromDistribution(face.distribution);
  expect(face.valence).toBeCloseTo(affect.valence, 9);
  expect(face.arousal).toBeCloseTo(affect.arousal, 9);
  expect(face.confidence).toBe(face.distribution[face.top]);
}

describe('analyseImage before loading', () => {
  it('says the models are not loaded', async () => {
    const image = { width: 64, height: 64 } as unknown as ImageBitmap;
    await expectFaceError(analyseImage(image), 'models-not-loaded');
  });
});

describe('analyseImage (Node, wasm backend, the browser’s code path)', () => {
  beforeAll(async () => {
    ({ models } = await loadFaceModelsInNode());
    group = photo(5);
    // The leftmost face of sample6 is near (187, 518) 334×289 (tiny's box); cut its square.
    const six = photo(6);
    crop = tf.tidy(() => {
      const face = tf.slice(six, [500, 190, 0], [320, 320, 3]);
      const grey = tf.mean(tf.cast(face, 'float32'), 2, true);
      return tf.image.resizeBilinear(grey as tf.Tensor3D, [48, 48]).round().toInt() as tf.Tensor3D;
    });
    six.dispose();
  }, 60_000);

  it('finds all five people in a group photo, largest first, with boxes in source pixels', async () => {
    const result = await analyseImage(group, { models });
    expect(result.imageIsFace).toBe(false);
    expect(result.faces).toHaveLength(5);
    expect(result.widthPx).toBe(1920);
    expect(result.heightPx).toBe(1398);
    const areas = result.faces.map((f) => f.box.width * f.box.height);
    expect([...areas].sort((a, b) => b - a)).toEqual(areas);
    for (const f of result.faces) {
      checkFace(f);
      expect(f.detector).toBe('tiny');
      expect(f.box.x).toBeGreaterThanOrEqual(-50);
      expect(f.box.x + f.box.width).toBeLessThanOrEqual(1970);
      expect(f.box.width).toBeGreaterThan(200); // ~300 px faces in this photo
    }
    expect(result.passes).toEqual(['tiny']);
  }, 60_000);

  it('classifies a tight 48-px grey crop as a whole-image face', async () => {
    const result = await analyseImage(crop, { models });
    expect(result.imageIsFace).toBe(true);
    expect(['face-fills-image', 'small-crop']).toContain(result.imageIsFaceReason);
    expect(result.faces).toHaveLength(1);
    // The box is the detector's (clamped to the image), or the whole image when none fired.
    const { box } = result.faces[0];
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(48 + 1e-9);
    expect(box.width * box.height).toBeGreaterThanOrEqual(0.5 * 48 * 48);
    checkFace(result.faces[0]);
  }, 60_000);

  it('mirror averaging makes a face and its mirror image read (nearly) the same', async () => {
    const mirrored = tf.reverse(crop, 1) as tf.Tensor3D;
    const gap = (x: FaceAnalysis, y: FaceAnalysis) => Math.max(...EMOTIONS.map((l) => Math.abs(x.faces[0].distribution[l] - y.faces[0].distribution[l])));
    const raw = { models, assumeFace: true, calibration: IDENTITY_CALIBRATION, nets: 'face-api' as const };
    const averaged = gap(await analyseImage(crop, raw), await analyseImage(mirrored, raw));
    const single = gap(await analyseImage(crop, { ...raw, flip: false }), await analyseImage(mirrored, { ...raw, flip: false }));
    // Not exactly equal: resampling 48 → 112 px is not mirror-symmetric (sample i sits at i·48/112
    // from the left edge), so the two mirror pairs differ by a sub-pixel shift.
    expect(averaged).toBeLessThan(0.02); // measured 0.007 (single pass: 0.21)
    expect(averaged).toBeLessThan(single / 10);
    mirrored.dispose();
  }, 60_000);

  it('reads a smiling face as happy: our net, face-api\'s, and the shipped ensemble (its weight as chosen, 0 in v3)', async () => {
    // The e2e fake camera's face: a woman laughing in face-api's sample1.
    const one = photo(1);
    const smile = tf.slice(one, [40, 1180, 0], [540, 720, 3]) as tf.Tensor3D;
    try {
      expect(models.expression).not.toBeNull();
      // Each net alone raw; the ensemble with the shipped temperature (fitted for the ensemble as
      // chosen: at v3's T ≈ 4 our net alone would be flattened to a near-uniform reading).
      for (const nets of ['own', 'face-api', 'ensemble'] as const) {
        const result = await analyseImage(smile, { models, nets, ...(nets === 'ensemble' ? {} : { calibration: IDENTITY_CALIBRATION }) });
        expect(result.faces[0].top, nets).toBe('happy');
        // The shipped T ≈ 4 (face-api's overconfidence, as v1's) softens the reading: 0.245 measured.
        expect(result.faces[0].valence, nets).toBeGreaterThan(nets === 'ensemble' ? 0.2 : 0.3);
      }
    } finally {
      tf.dispose([one, smile]);
    }
  }, 60_000);

  it('reports a black frame and a flat grey image as blank', async () => {
    const black = tf.zeros([480, 640, 3], 'int32') as tf.Tensor3D;
    const grey = tf.fill([480, 640, 3], 128, 'int32') as tf.Tensor3D;
    await expectFaceError(analyseImage(black, { models }), 'blank-image');
    await expectFaceError(analyseImage(grey, { models, mode: 'video' }), 'blank-image');
    tf.dispose([black, grey]);
  });

  it('says "no face" for a textured image without one; reads a drawn smiley without crashing', async () => {
    const stripes = tf.tidy(() => {
      const x = tf.range(0, 640).reshape([1, 640, 1]);
      const y = tf.range(0, 480).reshape([480, 1, 1]);
      return tf.sin(x.div(9)).add(tf.cos(y.div(23))).mul(60).add(128).tile([1, 1, 3]) as tf.Tensor3D;
    });
    await expectFaceError(analyseImage(stripes, { models }), 'no-face');
    // A cartoon: yellow disc, two dark eyes, a dark arc of a mouth, on white (400 px; not crop-small).
    const smiley = tf.tidy(() => {
      const size = 400;
      const x = tf.range(0, size).reshape([1, size]).tile([size, 1]);
      const y = tf.range(0, size).reshape([size, 1]).tile([1, size]);
      const d = (cx: number, cy: number) => x.sub(cx).square().add(y.sub(cy).square()).sqrt();
      const disc = d(200, 200).less(150);
      const eyes = d(150, 160).less(18).logicalOr(d(250, 160).less(18));
      const mouth = d(200, 210).less(90).logicalAnd(d(200, 210).greater(78)).logicalAnd(y.greater(240));
      const dark = eyes.logicalOr(mouth);
      const r = tf.where(dark, tf.fill([size, size], 30), tf.where(disc, tf.fill([size, size], 250), tf.fill([size, size], 255)));
      const b = tf.where(dark, tf.fill([size, size], 30), tf.where(disc, tf.fill([size, size], 40), tf.fill([size, size], 255)));
      return tf.stack([r, r.sub(tf.where(disc, tf.fill([size, size], 40), tf.fill([size, size], 0))), b], 2) as tf.Tensor3D;
    });
    const outcome = await analyseImage(smiley, { models }).then(
      (r) => r,
      (e: unknown) => e,
    );
    // Never a crash: either a typed "no face" or a valid reading. (Measured: tiny takes this
    // smiley for a face, score 0.65, and reads it as fearful — see the model card's limits.)
    if (outcome instanceof Error) expect(isFaceAnalysisError(outcome, 'no-face')).toBe(true);
    else {
      const result = outcome as FaceAnalysis;
      expect(result.faces.length).toBeGreaterThan(0);
      result.faces.forEach(checkFace);
    }
    tf.dispose([stripes, smiley]);
  }, 60_000);

  it('refuses unusable inputs with a typed error', async () => {
    const tiny = tf.zeros([8, 8, 3]) as tf.Tensor3D;
    const flat = tf.zeros([64, 64]) as unknown as tf.Tensor3D;
    await expectFaceError(analyseImage(tiny, { models }), 'unusable-image');
    await expectFaceError(analyseImage(flat, { models }), 'unusable-image');
    const closed = { width: 0, height: 0 } as unknown as ImageBitmap;
    await expectFaceError(analyseImage(closed, { models }), 'unusable-image');
    tf.dispose([tiny, flat]);
  });

  it('downscales a huge image before analysis and reports boxes in its own pixels', async () => {
    // A 5760×4194 grey image (24 MP) holding the group photo scaled ×3: same faces, 3× the pixels.
    const huge = tf.tidy(() => tf.image.resizeBilinear(tf.mean(tf.cast(group, 'float32'), 2, true) as tf.Tensor3D, [4194, 5760]).toInt() as tf.Tensor3D);
    const result = await analyseImage(huge, { models });
    huge.dispose();
    expect(result.widthPx).toBe(5760);
    expect(result.faces.length).toBeGreaterThanOrEqual(4);
    expect(result.faces[0].box.width).toBeGreaterThan(600); // ~900 px faces at this scale
    expect(result.faces.every((f) => f.box.x + f.box.width <= 5760 + 100)).toBe(true);
  }, 120_000);

  it('aborts when asked', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await analyseImage(crop, { models, signal: controller.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('AbortError');
  });

  it('aligns on request (landmarks loaded lazily) and still returns a valid reading', async () => {
    const result = await analyseImage(crop, { models, align: true });
    expect(models.isLoaded('faceLandmark68Net')).toBe(true);
    checkFace(result.faces[0]);
  }, 60_000);

  it('frees every tensor it makes: the count stays flat across repeated analyses', async () => {
    const other = photo(2);
    const round = async () => {
      await analyseImage(group, { models });
      await analyseImage(other, { models, exhaustive: true });
      await analyseImage(crop, { models, align: true });
      await analyseImage(crop, { models, mode: 'video' }).catch(() => undefined);
      await analyseImage(crop, { models, nets: 'own' });
      const black = tf.zeros([100, 100, 3]) as tf.Tensor3D;
      await analyseImage(black, { models }).catch(() => undefined);
      black.dispose();
    };
    await round(); // first use loads SSD and landmarks lazily
    const before = tf.memory().numTensors;
    await round();
    expect(tf.memory().numTensors).toBe(before);
    other.dispose();
  }, 180_000);
});
