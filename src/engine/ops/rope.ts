/**
 * Rotary position embedding, 🤗 Llama's "rotate half" layout: within each head, element
 * i pairs with element i + headDim/2 and both turn by the angle pos · θ^(−2i/headDim).
 */

export interface RopeTables {
  cos: Float32Array; // [maxPositions, headDim/2]
  sin: Float32Array;
  half: number;
}

/** Precomputes the rotation angles the way 🤗 does: inverse frequencies in float32, angles in float32. */
export function ropeTables(maxPositions: number, headDim: number, theta: number): RopeTables {
  const half = headDim / 2;
  const cos = new Float32Array(maxPositions * half);
  const sin = new Float32Array(maxPositions * half);
  for (let i = 0; i < half; i++) {
    const invFreq = Math.fround(1 / Math.pow(theta, Math.fround((2 * i) / headDim)));
    for (let p = 0; p < maxPositions; p++) {
      const angle = Math.fround(p * invFreq);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin, half };
}

/**
 * Rotates x [N, heads, headDim] in place; positions[n] is token n's position. With
 * `inverse` it turns the other way, which is exactly the backward pass of a rotation.
 */
export function ropeApply(x: Float32Array, positions: Int32Array, tables: RopeTables, n: number, heads: number, inverse: boolean): void {
  const half = tables.half;
  const hd = half * 2;
  const sign = inverse ? -1 : 1;
  for (let r = 0; r < n; r++) {
    const tb = positions[r]! * half;
    for (let h = 0; h < heads; h++) {
      const b = (r * heads + h) * hd;
      for (let i = 0; i < half; i++) {
        const c = tables.cos[tb + i]!;
        const s = sign * tables.sin[tb + i]!;
        const x1 = x[b + i]!;
        const x2 = x[b + i + half]!;
        x[b + i] = x1 * c - x2 * s;
        x[b + i + half] = x2 * c + x1 * s;
      }
    }
  }
}
