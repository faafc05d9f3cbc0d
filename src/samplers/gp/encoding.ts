import type { FlatParams, ParamValue } from '../../core/types.js';
import { allNodes, type CompiledSpace, type ParamNode } from '../../space/compile.js';
import { fromUnit, toUnit } from '../../space/encode.js';
import { walkActive } from '../../space/params.js';

interface Slot {
  readonly node: ParamNode;
  /** First input dimension of this parameter. */
  readonly offset: number;
  /** 1 for numeric parameters; the number of choices for a categorical (one-hot). */
  readonly width: number;
}

/**
 * Maps configurations to points of the unit cube for the Gaussian process: numeric parameters by their internal
 * range (log parameters in log space), categoricals one-hot. Conditional parameters are handled by imputation
 * (as SMAC does): a parameter of an inactive branch sits at the centre of its range (numeric) or at all zeros
 * (categorical), so the GP models the whole tree in one space.
 */
export class CubeEncoding {
  readonly dims: number;
  private readonly slots: readonly Slot[];
  private readonly byPath: ReadonlyMap<string, Slot>;

  constructor(private readonly space: CompiledSpace) {
    let offset = 0;
    const slots: Slot[] = [];
    for (const node of allNodes(space)) {
      const d = node.distribution;
      if (d.kind === 'const') continue;
      const width = d.kind === 'categorical' ? d.choices.length : 1;
      slots.push({ node, offset, width });
      offset += width;
    }
    this.dims = offset;
    this.slots = slots;
    this.byPath = new Map(slots.map((s) => [s.node.path, s]));
  }

  encode(params: FlatParams, out: Float64Array = new Float64Array(this.dims), at = 0): Float64Array {
    for (const slot of this.slots) {
      const value = params[slot.node.path];
      const d = slot.node.distribution;
      if (d.kind === 'categorical') {
        const index = value === undefined ? -1 : d.choices.indexOf(value);
        for (let k = 0; k < slot.width; k++) out[at + slot.offset + k] = k === index ? 1 : 0;
      } else {
        out[at + slot.offset] = value === undefined ? 0.5 : toUnit(d, value);
      }
    }
    return out;
  }

  /** A point of the cube as a valid configuration (only active branches); categoricals take their largest slot. */
  decode(point: ArrayLike<number>): FlatParams {
    return walkActive(this.space, (node): ParamValue => {
      const d = node.distribution;
      if (d.kind === 'const') return d.value;
      const slot = this.byPath.get(node.path) as Slot;
      if (d.kind === 'categorical') {
        let best = 0;
        for (let k = 1; k < slot.width; k++) if ((point[slot.offset + k] as number) > (point[slot.offset + best] as number)) best = k;
        return d.choices[best] as ParamValue;
      }
      return fromUnit(d, point[slot.offset] as number);
    });
  }

  /** Snaps a point onto the encoding of a real configuration (integers, steps, one-hot, inactive branches). */
  project(point: ArrayLike<number>): Float64Array {
    return this.encode(this.decode(point));
  }
}
