import { record } from '../autograd/graph'
import { allocate, copyOf, rounderFor, type Rounder, type Storage } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

/**
 * Element-wise operations on tensors of one shape. In float32 each result is rounded once, as
 * ATen's kernels do; a JS number operand is first rounded to the tensor's precision (a Python
 * scalar meeting a float32 tensor, torch-spec §1.3).
 */

function sameShape(a: Tensor, b: Tensor, op: string): void {
  if (a.numel !== b.numel || a.shape.join() !== b.shape.join()) {
    throw new Error(
      `${op}: the size of tensor a ([${a.shape.join(', ')}]) must match the size of tensor b ([${b.shape.join(', ')}])`
    )
  }
  if (a.dtype !== b.dtype) throw new Error(`${op}: expected both tensors to have dtype ${a.dtype}, got ${b.dtype}`)
}

function map(a: Tensor, f: (x: number) => number): Storage {
  const out = allocate(a.dtype, a.numel)
  const x = a.data
  for (let i = 0; i < out.length; i++) out[i] = f(x[i])
  return out
}

function zip(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Storage {
  const out = allocate(a.dtype, a.numel)
  const x = a.data
  const y = b.data
  for (let i = 0; i < out.length; i++) out[i] = f(x[i], y[i])
  return out
}

function scaled(g: Storage, s: number, round: Rounder): Storage {
  const out = copyOf(g)
  const f = round(s)
  for (let i = 0; i < out.length; i++) out[i] = out[i] * f
  return out
}

export function add(a: Tensor, b: Tensor | number): Tensor {
  if (typeof b === 'number') {
    const s = rounderFor(a.dtype)(b)
    return record(new Tensor(map(a, (x) => x + s), a.shape), {
      name: 'AddBackward0',
      inputs: [a],
      backward: (g) => [g]
    })
  }
  sameShape(a, b, 'add')
  return record(new Tensor(zip(a, b, (x, y) => x + y), a.shape), {
    name: 'AddBackward0',
    inputs: [a, b],
    backward: (g) => [g, g]
  })
}

export function sub(a: Tensor, b: Tensor | number): Tensor {
  if (typeof b === 'number') return add(a, -b)
  sameShape(a, b, 'sub')
  return record(new Tensor(zip(a, b, (x, y) => x - y), a.shape), {
    name: 'SubBackward0',
    inputs: [a, b],
    backward: (g) => [g, scaled(g, -1, rounderFor(a.dtype))]
  })
}

export function mul(a: Tensor, b: Tensor | number): Tensor {
  const round = rounderFor(a.dtype)
  if (typeof b === 'number') {
    const s = round(b)
    return record(new Tensor(map(a, (x) => x * s), a.shape), {
      name: 'MulBackward0',
      inputs: [a],
      backward: (g) => [scaled(g, s, round)]
    })
  }
  sameShape(a, b, 'mul')
  return record(new Tensor(zip(a, b, (x, y) => x * y), a.shape), {
    name: 'MulBackward0',
    inputs: [a, b],
    backward: (g) => [
      a.requiresGrad ? zipStorage(g, b.data, (u, v) => u * v, a.dtype) : null,
      b.requiresGrad ? zipStorage(g, a.data, (u, v) => u * v, a.dtype) : null
    ]
  })
}

export function neg(a: Tensor): Tensor {
  return record(new Tensor(map(a, (x) => -x), a.shape), {
    name: 'NegBackward0',
    inputs: [a],
    backward: (g) => [scaled(g, -1, rounderFor(a.dtype))]
  })
}

/** `a ** exponent` for a constant exponent (the lesson squares differences by hand). */
export function pow(a: Tensor, exponent: number): Tensor {
  const round = rounderFor(a.dtype)
  const value = exponent === 2 ? (x: number) => x * x : (x: number) => x ** exponent
  return record(new Tensor(map(a, value), a.shape), {
    name: 'PowBackward0',
    inputs: [a],
    // grad · exponent · a^(exponent−1), each product rounded as ATen's pow_backward does.
    backward: (g) => [
      zipStorage(g, a.data, (u, x) => round(u * round(exponent)) * round(x ** (exponent - 1)), a.dtype)
    ]
  })
}

/** `a.clamp(min=lo)`: the lesson's hand-written ReLU. The gradient passes where a ≥ lo. */
export function clampMin(a: Tensor, lo: number): Tensor {
  const bound = rounderFor(a.dtype)(lo)
  return record(new Tensor(map(a, (x) => (x < bound ? bound : x)), a.shape), {
    name: 'ClampMinBackward0',
    inputs: [a],
    backward: (g) => [zipStorage(g, a.data, (u, x) => (x >= bound ? u : 0), a.dtype)]
  })
}

export function zipStorage(
  a: Storage,
  b: Storage,
  f: (x: number, y: number) => number,
  dtype: Tensor['dtype']
): Storage {
  const out = allocate(dtype, a.length)
  for (let i = 0; i < out.length; i++) out[i] = f(a[i], b[i])
  return out
}

export { map as mapStorageOf }
