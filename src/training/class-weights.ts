/**
 * Balanced class weights, scikit-learn's `class_weight='balanced'`: class c weighs n / (k · n_c), where n is the
 * number of training rows, k the number of classes present in them and n_c the rows of class c. Every class then
 * contributes the same total weight to the loss, so a minority class is not ignored. A class absent from the
 * training split gets 0: no example carries it.
 *
 * @example balancedClassWeights(Float32Array.from([0, 0, 0, 1]), 2) // [0.667, 2]
 */
export function balancedClassWeights(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i] as number]!++;
  const present = counts.filter((n) => n > 0).length;
  return counts.map((n) => (n > 0 ? labels.length / (present * n) : 0));
}
