import * as float32 from '../numeric/float32'

/**
 * The element operations that PyTorch's CPU kernels perform inside `optimizer.step()`, one element
 * at a time, named after the tensor method they reproduce (torch-spec §1.4). The update kernels
 * call them inside their loops; they are small enough for V8 to inline.
 *
 * float32 (`…32`): every argument must already be a float32 value, scalars included
 * (`Math.fround` of the Python float, done once per step by the caller). ATen fuses where its
 * vectorised kernels call `vec::fmadd`; `addcdiv` is not fused.
 * float64 (`…64`): the same operations in plain double, with no float32 rounding and no FMA.
 */

const F = Math.fround
// Bound once at load. Dev loaders (vitest, tsx) compile every `fma32(...)` into a getter call on a
// module object, which V8 does not inline away: the kernels ran 3-6x slower without this.
const { fma32 } = float32

/** `a.add(b, alpha=alpha)` → fma(b, alpha, a). */
export function add32(a: number, b: number, alpha: number): number {
  return fma32(b, alpha, a)
}

/** `a.addcmul(b, c, value=value)` → fma(value·b, c, a). */
export function addcmul32(a: number, b: number, c: number, value: number): number {
  return fma32(F(value * b), c, a)
}

/** `a.addcdiv(b, c, value=value)` → a + (value·b)/c, rounded after each operation. */
export function addcdiv32(a: number, b: number, c: number, value: number): number {
  return F(a + F(F(value * b) / c))
}

/** `a.lerp(b, weight)` as ATen's `lerp_vec`: fma(w, b−a, a) for |w| < 0.5, else fma(w−1, b−a, b). */
export function lerp32(a: number, b: number, weight: number): number {
  const small = Math.abs(weight) < 0.5
  return fma32(small ? weight : F(weight - 1), F(b - a), small ? a : b)
}

export function add64(a: number, b: number, alpha: number): number {
  return a + alpha * b
}

export function addcmul64(a: number, b: number, c: number, value: number): number {
  return a + value * b * c
}

export function addcdiv64(a: number, b: number, c: number, value: number): number {
  return a + (value * b) / c
}

export function lerp64(a: number, b: number, weight: number): number {
  const diff = b - a
  return Math.abs(weight) < 0.5 ? a + weight * diff : b + (weight - 1) * diff
}
