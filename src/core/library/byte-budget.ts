/**
 * A budget of bytes in flight, granted first come first served: imports start a file only while
 * the files already in flight leave room for it, so memory is bounded by bytes, not by a count of
 * files (eight 70 MB WAVs at once would hold over a gigabyte). A file larger than the whole budget
 * still runs, alone.
 */
export class ByteBudget {
  readonly capacityBytes: number;
  #inUseBytes = 0;
  #holders = 0;
  readonly #waiting: { bytes: number; grant: () => void }[] = [];

  constructor(capacityBytes: number) {
    this.capacityBytes = capacityBytes;
  }

  /** Bytes granted and not yet released. */
  get inUseBytes(): number {
    return this.#inUseBytes;
  }

  /** Resolves when `bytes` fit (or nothing else is in flight); call the returned function once done. */
  async acquire(bytes: number): Promise<() => void> {
    const size = Math.max(0, bytes);
    if (this.#waiting.length > 0 || !this.#fits(size)) {
      await new Promise<void>((grant) => this.#waiting.push({ bytes: size, grant }));
    } else {
      this.#take(size);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inUseBytes -= size;
      this.#holders -= 1;
      this.#grantWaiting();
    };
  }

  #fits(bytes: number): boolean {
    return this.#holders === 0 || this.#inUseBytes + bytes <= this.capacityBytes;
  }

  #take(bytes: number): void {
    this.#inUseBytes += bytes;
    this.#holders += 1;
  }

  #grantWaiting(): void {
    while (this.#waiting.length > 0 && this.#fits(this.#waiting[0].bytes)) {
      const next = this.#waiting.shift();
      if (!next) return;
      this.#take(next.bytes);
      next.grant();
    }
  }
}
