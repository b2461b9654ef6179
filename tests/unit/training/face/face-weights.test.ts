import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACE_WEIGHT_MANIFESTS } from '../../../../src/core/face/face-weights.ts';
import { faceWeightFiles } from '../../../../src/training/face/face-weights.ts';

describe('face weights served to the browser', () => {
  it('match models/face/weights.json byte for byte (a face-api upgrade must refresh the list and the model card)', () => {
    const listed = JSON.parse(readFileSync(new URL('../../../../models/face/weights.json', import.meta.url), 'utf8')) as { files: unknown[] };
    expect(faceWeightFiles()).toEqual(listed.files);
  });

  it('cover all four networks', () => {
    const nets = new Set(faceWeightFiles().map((f) => f.net));
    expect([...nets].sort()).toEqual(Object.keys(FACE_WEIGHT_MANIFESTS).sort());
  });
});
