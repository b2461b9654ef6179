/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS). With ≤ 100 inputs and a
 * few hundred clips, an exact Newton solve converges in ~10 steps and has no learning rate to
 * tune. The intercept is not penalised. Objective:
 *   Σ_i log(1 + exp(−y_i (b + w·x_i))) + (λ/2)·n·|w|², with y_i ∈ {−1, +1}
 * (λ is per sample, so the same λ means the same strength for any training-set size).
 */
export interface LogisticModel {
  bias: number;
  weights: Float64Array;
}

/** Solves A x = b in place for a symmetric positive-definite A (Cholesky); A is p × p row-major. */
function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j];
      for (let k = 0; k < j; k++) sum -= l[i * p + k] * l[j * p + k];
      if (i === j) l[i * p + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * p + j] = sum / l[j * p + j];
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * p + k] * y[k];
    y[i] = sum / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i] * x[k];
    x[i] = sum / l[i * p + i];
  }
  return x;
}

/** Fits on rows `x` (n × d) with labels `y` ∈ {−1, +1} and optional per-sample weights. */
export function fitLogistic(x: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, lambda: number, sampleWeights?: ArrayLike<number>): LogisticModel {
  const n = x.length;
  const d = n > 0 ? x[0].length : 0;
  const p = d + 1; // parameter 0 is the intercept
  const theta = new Float64Array(p);
  const penalty = lambda * n;
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Float64Array(p);
    const hessian = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      const row = x[i];
      let z = theta[0];
      for (let j = 0; j < d; j++) z += theta[j + 1] * row[j];
      const yi = y[i];
      const s = 1 / (1 + Math.exp(yi * z)); // σ(−y z)
      const w = sampleWeights ? sampleWeights[i] : 1;
      const g = -yi * s * w;
      const h = s * (1 - s) * w;
      gradient[0] += g;
      hessian[0] += h;
      for (let j = 0; j < d; j++) {
        const xj = row[j];
        gradient[j + 1] += g * xj;
        hessian[j + 1] += h * xj;
        hessian[(j + 1) * p] += h * xj;
        for (let k = 0; k <= j; k++) hessian[(j + 1) * p + k + 1] += h * xj * row[k];
      }
    }
    for (let j = 1; j < p; j++) {
      for (let k = 1; k < j; k++) hessian[k * p + j] = hessian[j * p + k];
      gradient[j] += penalty * theta[j];
      hessian[j * p + j] += penalty;
    }
    hessian[0] += 1e-9;
    const step = solveSpd(hessian, gradient, p);
    let change = 0;
    for (let j = 0; j < p; j++) {
      theta[j] -= step[j];
      change = Math.max(change, Math.abs(step[j]));
    }
    if (change < 1e-8) break;
  }
  return { bias: theta[0], weights: theta.slice(1) };
}

/** The logit b + w·x. */
export function logit(model: LogisticModel, row: ArrayLike<number>): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) z += model.weights[j] * row[j];
  return z;
}
