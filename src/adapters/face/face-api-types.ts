import type * as tf from '@tensorflow/tfjs';

/**
 * The part of `@vladmandic/face-api` Norae uses, typed against the app's own tfjs. face-api's
 * bundled declarations redeclare tfjs's classes (so its `Tensor` is not ours to the type
 * checker) and differ between its browser and Node builds; this structural interface is what
 * both builds satisfy at run time. The browser loads `dist/face-api.esm-nobundle.js` (built on
 * the app's `@tensorflow/tfjs`, so one tfjs instance and backend); Node evaluation injects
 * `dist/face-api.node-wasm.js`, which `require`s the same `@tensorflow/tfjs` package.
 */
export interface FaceApiLike {
  nets: {
    tinyFaceDetector: FaceDetectorNet<{ inputSize?: number; scoreThreshold?: number }>;
    ssdMobilenetv1: FaceDetectorNet<{ minConfidence?: number; maxResults?: number }>;
    faceLandmark68Net: FaceApiNet & {
      detectLandmarks(input: FaceApiNetInput | tf.Tensor3D[]): Promise<FaceApiLandmarks | FaceApiLandmarks[]>;
    };
    faceExpressionNet: FaceApiNet & {
      /** Logits [batch, 7] (before softmax), face-api's expression order. */
      runNet(input: FaceApiNetInput): tf.Tensor2D;
    };
  };
  /** Wraps 3-D image tensors as one batch (each is padded to square and resized by the net). */
  NetInput: new (inputs: tf.Tensor3D[], treatAsBatchInput?: boolean) => FaceApiNetInput;
}

/** Opaque: a face-api batch of images. */
export interface FaceApiNetInput {
  readonly batchSize: number;
}

export interface FaceApiNet {
  readonly isLoaded: boolean;
  loadFromWeightMap(weightMap: tf.NamedTensorMap): void;
  dispose(throwOnRedispose?: boolean): void;
}

export interface FaceDetectorNet<Options> extends FaceApiNet {
  /** Faces in one image; boxes in that image's pixels. */
  locateFaces(input: tf.Tensor3D, options: Options): Promise<FaceApiDetection[]>;
}

export interface FaceApiDetection {
  readonly score: number;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export interface FaceApiLandmarks {
  /** 68 points in the input image's pixels. */
  readonly positions: readonly { readonly x: number; readonly y: number }[];
}

/**
 * face-api's environment hooks (`faceapi.env`): the classes it tests its inputs against and the
 * factories it draws with. It recognises only a page (a window) and Node; anywhere else (a
 * worker) it has no environment, and every call that asks "is this input a canvas?" throws —
 * even for the tensors Norae always passes — until one is set.
 */
export interface FaceApiEnv {
  isBrowser(): boolean;
  isNodejs(): boolean;
  setEnv(environment: FaceApiEnvironment): void;
}

/** What face-api's `env.setEnv` takes (its own `Environment` type, minus the DOM-only names). */
export interface FaceApiEnvironment {
  Canvas: abstract new (...args: never[]) => unknown;
  CanvasRenderingContext2D: abstract new (...args: never[]) => unknown;
  Image: abstract new (...args: never[]) => unknown;
  ImageData: abstract new (...args: never[]) => unknown;
  Video: abstract new (...args: never[]) => unknown;
  createCanvasElement(): unknown;
  createImageElement(): unknown;
  createVideoElement(): unknown;
  fetch(url: string, init?: RequestInit): Promise<Response>;
  readFile(filePath: string): Promise<unknown>;
}
