// The Markdown the throughput benchmark prints: the matmul peak line and the side-by-side table, one row a model.
import { median } from '../../src/maths/stats.js';
import type { ReferenceModel } from './models.js';

/** One subject's measurements: a figure (or an error text) per fresh process, PyTorch's and each backend's. */
export interface Figures {
  readonly pytorch: (number | string)[];
  readonly ours: ReadonlyMap<string, (number | string)[]>;
}

export interface ThroughputReport {
  readonly backends: readonly string[];
  /** GFLOP/s of the GEMM. */
  readonly gemm: Figures;
  readonly gemmSize: number;
  /** samples/s per model. */
  readonly rows: readonly { model: ReferenceModel; parameters: number; flopsPerStep: number; figures: Figures }[];
  readonly torchVersion: string;
  readonly runs: number;
  readonly repeats: number;
}

const whole = (n: number) => Math.round(n).toLocaleString('en-US');
const oneDecimal = (n: number) => n.toFixed(1);

/** The median of a side's processes, or the first error one of them printed (which makes the side's figure void). */
function settle(values: readonly (number | string)[]): number | string {
  if (values.length === 0) return 'not measured';
  const error = values.find((v) => typeof v === 'string' || !Number.isFinite(v));
  return error === undefined ? median(values as number[]) : String(error).replace(/\|/g, '/');
}

/** `24,466 [17,392–24,900]`: the median and the range over the processes. */
function cell(values: readonly (number | string)[], format: (n: number) => string): string {
  const settled = settle(values);
  if (typeof settled === 'string') return settled;
  const numbers = values as number[];
  return numbers.length === 1 ? format(settled) : `${format(settled)} [${format(Math.min(...numbers))}–${format(Math.max(...numbers))}]`;
}

export function throughputTable(r: ThroughputReport): string {
  const sides = [...(r.torchVersion ? ['PyTorch'] : []), ...r.backends];
  const of = (f: Figures, side: string) => (side === 'PyTorch' ? f.pytorch : (f.ours.get(side) ?? []));
  const peaks = sides.map((side) => settle(of(r.gemm, side))).filter((p): p is number => typeof p === 'number');
  const peak = peaks.length > 0 ? Math.max(...peaks) : Number.NaN;
  const gflops = (samples: number | string, row: ThroughputReport['rows'][number]) => {
    if (typeof samples === 'string') return '—';
    const achieved = (samples / row.model.batch) * (row.flopsPerStep / 1e9);
    return `${oneDecimal(achieved)} (${Math.round((100 * achieved) / peak)} %)`;
  };
  const ratio = (ours: number | string, torch: number | string) =>
    typeof ours === 'number' && typeof torch === 'number' ? `**${(ours / torch).toFixed(2)}×**` : '—';

  const lines = [
    `PyTorch ${r.torchVersion || 'not installed: no PyTorch figures, no ratios'} on 1 thread and ours, in turn per model;` +
      ` ${r.repeats} fresh processes a side, each the median of ${r.runs} timed runs of ≥ 1 s; cells: median [min–max]` +
      ' over the processes.',
    `Matmul peak, one thread, ${r.gemmSize}×${r.gemmSize} fp32: ` +
      sides.map((side) => `${side} ${cell(of(r.gemm, side), oneDecimal)} GFLOP/s`).join(', ') +
      `; peak = the fastest, ${Number.isNaN(peak) ? '—' : oneDecimal(peak)} GFLOP/s.`,
    '',
    `| model | batch | parameters | MFLOP/step | ${sides.map((s) => `${s} samples/s | ${s} GFLOP/s (% of peak)`).join(' | ')}` +
      `${r.torchVersion ? r.backends.map((b) => ` | ${b} × PyTorch`).join('') : ''} |`,
    `|---|---|---|---|${sides.map(() => '---|---|').join('')}${r.torchVersion ? r.backends.map(() => '---|').join('') : ''}`,
  ];
  for (const row of r.rows) {
    const torch = settle(row.figures.pytorch);
    const cells = sides.flatMap((side) => [cell(of(row.figures, side), whole), gflops(settle(of(row.figures, side)), row)]);
    const ratios = r.torchVersion ? r.backends.map((b) => ratio(settle(of(row.figures, b)), torch)) : [];
    const head = [row.model.name, row.model.batch, whole(row.parameters), oneDecimal(row.flopsPerStep / 1e6)];
    lines.push(`| ${[...head, ...cells, ...ratios].join(' | ')} |`);
  }
  return lines.join('\n');
}
