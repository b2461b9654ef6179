/** The four face-api networks Norae uses. */
export type FaceNetName = 'tinyFaceDetector' | 'ssdMobilenetv1' | 'faceLandmark68Net' | 'faceExpressionNet';

/**
 * Each network's weights manifest (face-api's file names). The manifest names the `.bin` shard
 * beside it; both are fetched from the face-model base URL. `models/face/weights.json` lists
 * every file with its size and hash; the build serves them from face-api's npm package.
 */
export const FACE_WEIGHT_MANIFESTS: Record<FaceNetName, string> = {
  tinyFaceDetector: 'tiny_face_detector_model-weights_manifest.json',
  ssdMobilenetv1: 'ssd_mobilenetv1_model-weights_manifest.json',
  faceLandmark68Net: 'face_landmark_68_model-weights_manifest.json',
  faceExpressionNet: 'face_expression_model-weights_manifest.json',
};
