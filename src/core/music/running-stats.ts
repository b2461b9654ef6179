/** Growable Float64 store for per-frame or per-block summaries (a few values per frame at most). */
export class GrowableArray {
  private data: Float64Array;
  length = 0;
  constructor(capacity = 4096) {
    this.data = new Float64Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  /** The values pushed so far (a view: valid until the next push). */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Running mean and population standard deviation (Welford) of one quantity, in O(1) memory. */
export class RunningStats {
  count = 0;
  mean = 0;
  private m2 = 0;
  add(x: number): void {
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
  }
  get std(): number {
    return this.count > 1 ? Math.sqrt(this.m2 / this.count) : 0;
  }
}
