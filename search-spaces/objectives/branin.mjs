// Branin–Hoo on [-5, 10] × [0, 15]; three global minima of 0.397887.
export default function branin({ x, y }) {
  const a = 1,
    b = 5.1 / (4 * Math.PI ** 2),
    c = 5 / Math.PI,
    r = 6,
    s = 10,
    t = 1 / (8 * Math.PI);
  return a * (y - b * x ** 2 + c * x - r) ** 2 + s * (1 - t) * Math.cos(x) + s;
}
