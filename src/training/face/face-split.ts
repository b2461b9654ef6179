import { stratifiedGroupFolds } from './folds.ts';

/** Which of the training images train the net and which tune every choice made after it. */
export interface FaceSplit {
  train: number[];
  tune: number[];
}

/**
 * One stratified fifth of the training images is kept back as the tuning split: it picks the
 * epoch, the ensemble weight and the temperature, and is never trained on. (A full k-fold would
 * train five nets; on two CPU cores that does not fit the one-hour training budget.)
 */
export function tuningSplit(labels: readonly string[], files: readonly string[], seed: number): FaceSplit {
  const fold = stratifiedGroupFolds(labels, files, 5, seed);
  const split: FaceSplit = { train: [], tune: [] };
  fold.forEach((f, i) => (f === 0 ? split.tune : split.train).push(i));
  return split;
}
