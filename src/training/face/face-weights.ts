import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FACE_WEIGHT_MANIFESTS, type FaceNetName } from '../../core/face/face-weights.ts';

/** face-api's bundled weights folder in node_modules (what the app serves at `/models/face/`). */
export function bundledWeightsDirectory(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'model') + '/';
}

/** One file the app serves under its face-model URL. */
export interface FaceWeightFile {
  file: string;
  net: FaceNetName;
  bytes: number;
  sha256: string;
}

/**
 * Every file `loadFaceModels` may fetch: each network's weights manifest and the shards it
 * names, read from face-api's bundled `model/` folder (the build serves them from there; they
 * are not copied into the repository).
 */
export function faceWeightFiles(dir = bundledWeightsDirectory()): FaceWeightFile[] {
  const out: FaceWeightFile[] = [];
  for (const [net, manifestName] of Object.entries(FACE_WEIGHT_MANIFESTS) as [FaceNetName, string][]) {
    const manifestBytes = readFileSync(join(dir, manifestName));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { paths: string[] }[];
    for (const file of [manifestName, ...manifest.flatMap((group) => group.paths)]) {
      const bytes = file === manifestName ? manifestBytes : readFileSync(join(dir, file));
      out.push({ file, net, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  }
  return out;
}

// `tsx src/training/face/face-weights.ts` prints the list kept in models/face/weights.json.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = faceWeightFiles();
  console.log(JSON.stringify({ source: 'node_modules/@vladmandic/face-api/model/ (face-api 1.7.15)', servedAt: '/models/face/', files }, null, 2));
}
