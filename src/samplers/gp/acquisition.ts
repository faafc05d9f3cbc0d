import { erfcx, normCdf, normLogPdf } from '../../maths/normal.js';

/**
 * log h(z) with h(z) = z·Φ(z) + φ(z), the expected improvement of a unit normal over a threshold z standard
 * deviations below its mean. For very negative z both terms nearly cancel, so there h is rewritten with the
 * scaled complementary error function — h(z) = φ(z)·(1 − |z|·√(π/2)·erfcx(|z|/√2)) — and, far out, its
 * asymptotic series, keeping log EI finite and ordered where EI itself underflows to 0 (Ament et al. 2023).
 */
export function logH(z: number): number {
  if (z > -1) return Math.log(z * normCdf(z) + Math.exp(normLogPdf(z)));
  const a = -z;
  if (a < 25) {
    const tail = 1 - a * Math.sqrt(Math.PI / 2) * erfcx(a / Math.SQRT2);
    return normLogPdf(z) + Math.log(tail);
  }
  const inv2 = 1 / (a * a);
  // 1 − a·M(a) = 1/a² − 3/a⁴ + 15/a⁶ − …  (M the Mills ratio)
  return normLogPdf(z) + Math.log(inv2 * (1 - 3 * inv2 + 15 * inv2 * inv2));
}

/**
 * log expected improvement for minimisation: the log of E[max(best − f, 0)] with f ~ N(mean, sd²).
 *
 * @example Math.exp(logExpectedImprovement(0, 1, 0)) // φ(0) = 0.3989
 */
export function logExpectedImprovement(mean: number, sd: number, best: number): number {
  if (!(sd > 0)) return best > mean ? Math.log(best - mean) : Number.NEGATIVE_INFINITY;
  return Math.log(sd) + logH((best - mean) / sd);
}
