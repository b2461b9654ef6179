/**
 * Orthonormal DCT-II (scipy `dct(type=2, norm='ortho')`, as librosa uses for MFCCs), keeping
 * the first `outputCount` coefficients. The cosine table is built once, so a call is
 * `outputCount × inputCount` multiply-adds and allocates nothing.
 */
export class Dct {
  readonly inputCount: number;
  readonly outputCount: number;
  private readonly table: Float64Array;

  constructor(inputCount: number, outputCount = inputCount) {
    if (outputCount > inputCount) throw new RangeError('outputCount must be ≤ inputCount');
    this.inputCount = inputCount;
    this.outputCount = outputCount;
    this.table = new Float64Array(inputCount * outputCount);
    for (let k = 0; k < outputCount; k++) {
      const scale = k === 0 ? Math.sqrt(1 / inputCount) : Math.sqrt(2 / inputCount);
      for (let n = 0; n < inputCount; n++) this.table[k * inputCount + n] = scale * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * inputCount));
    }
  }

  /** `out[k] = Σ_n table[k,n] · input[n]`; returns `out` (length ≥ `outputCount`). */
  apply<T extends Float32Array | Float64Array>(input: ArrayLike<number>, out: T): T {
    const n = this.inputCount;
    for (let k = 0; k < this.outputCount; k++) {
      let sum = 0;
      const base = k * n;
      for (let i = 0; i < n; i++) sum += this.table[base + i] * input[i];
      out[k] = sum;
    }
    return out;
  }
}
