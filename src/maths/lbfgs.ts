/**
 * Minimises a smooth function with L-BFGS (limited-memory quasi-Newton, history 8) and a backtracking Armijo line
 * search. Small and dependency-free: it fits a handful of kernel hyperparameters, not a neural network.
 *
 * @example lbfgs((x) => ({ value: (x[0]! - 3) ** 2, gradient: Float64Array.of(2 * (x[0]! - 3)) }), Float64Array.of(0))
 */
export function lbfgs(
  objective: (x: Float64Array) => { value: number; gradient: Float64Array },
  start: Float64Array,
  options: { maxIterations?: number; tolerance?: number; history?: number } = {},
): { x: Float64Array; value: number } {
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-6;
  const m = options.history ?? 8;
  const dim = start.length;
  let x: Float64Array = Float64Array.from(start);
  let { value, gradient }: { value: number; gradient: Float64Array } = objective(x);
  if (!Number.isFinite(value)) return { x, value };
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const direction = twoLoop(gradient, s, y);
    let slope = dot(direction, gradient);
    if (slope >= 0) {
      // Not a descent direction (curvature pairs went stale): fall back to steepest descent.
      for (let i = 0; i < dim; i++) direction[i] = -(gradient[i] as number);
      slope = dot(direction, gradient);
      s.length = 0;
      y.length = 0;
    }
    let step = iteration === 0 ? Math.min(1, 1 / Math.max(1e-12, Math.sqrt(dot(gradient, gradient)))) : 1;
    let next: Float64Array | null = null;
    let nextEval: { value: number; gradient: Float64Array } | null = null;
    for (let tries = 0; tries < 30; tries++) {
      const candidate = x.map((xi, i) => xi + step * (direction[i] as number));
      const evaluated = objective(candidate);
      if (Number.isFinite(evaluated.value) && evaluated.value <= value + 1e-4 * step * slope) {
        next = candidate;
        nextEval = evaluated;
        break;
      }
      step *= 0.5;
    }
    if (!next || !nextEval) break;
    const sk = next.map((v, i) => v - (x[i] as number));
    const yk = nextEval.gradient.map((g, i) => g - (gradient[i] as number));
    if (dot(sk, yk) > 1e-10) {
      s.push(sk);
      y.push(yk);
      if (s.length > m) {
        s.shift();
        y.shift();
      }
    }
    const improvement = value - nextEval.value;
    x = next;
    value = nextEval.value;
    gradient = nextEval.gradient;
    if (improvement < tolerance * Math.max(1, Math.abs(value))) break;
  }
  return { x, value };
}

function twoLoop(gradient: Float64Array, s: Float64Array[], y: Float64Array[]): Float64Array {
  const q = Float64Array.from(gradient);
  const alpha: number[] = [];
  for (let i = s.length - 1; i >= 0; i--) {
    const rho = 1 / dot(y[i] as Float64Array, s[i] as Float64Array);
    const a = rho * dot(s[i] as Float64Array, q);
    alpha[i] = a;
    for (let k = 0; k < q.length; k++) q[k]! -= a * (y[i] as Float64Array)[k]!;
  }
  if (s.length > 0) {
    const last = s.length - 1;
    const gamma = dot(s[last] as Float64Array, y[last] as Float64Array) / dot(y[last] as Float64Array, y[last] as Float64Array);
    for (let k = 0; k < q.length; k++) q[k]! *= gamma;
  }
  for (let i = 0; i < s.length; i++) {
    const rho = 1 / dot(y[i] as Float64Array, s[i] as Float64Array);
    const b = rho * dot(y[i] as Float64Array, q);
    for (let k = 0; k < q.length; k++) q[k]! += (s[i] as Float64Array)[k]! * ((alpha[i] as number) - b);
  }
  return q.map((v) => -v);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
