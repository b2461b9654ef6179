/** Typed arrays joined end to end: one home for what the Ogg reader, training and tests all need. */
function joined<T extends Uint8Array | Float32Array>(parts: readonly T[], make: (length: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The byte arrays one after another, in a new array. */
export const concatBytes = (parts: readonly Uint8Array[]): Uint8Array => joined(parts, (n) => new Uint8Array(n));

/** The sample arrays one after another, in a new array. */
export const concatSamples = (parts: readonly Float32Array[]): Float32Array => joined(parts, (n) => new Float32Array(n));
