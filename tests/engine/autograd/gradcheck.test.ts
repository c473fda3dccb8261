import { describe, expect, it } from 'vitest'
import { noGrad } from '../../../src-main/engine/autograd/graph'
import { leakyRelu, relu, sigmoid, tanh } from '../../../src-main/engine/ops/activation'
import { add, clampMin, mul, neg, pow, sub } from '../../../src-main/engine/ops/elementwise'
import { linear, mm, t } from '../../../src-main/engine/ops/linear-algebra'
import { mseLoss } from '../../../src-main/engine/ops/loss'
import { mean, sum } from '../../../src-main/engine/ops/reduction'
import { Tensor } from '../../../src-main/engine/tensor/tensor'

/** Deterministic float64 values away from the kinks of relu/clamp (|v| ≥ 0.1). */
function tensor(shape: number[], seed: number): Tensor {
  let s = seed
  const n = shape.reduce((a, b) => a * b, 1)
  const values = Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648
    const v = (s / 2147483648) * 2 - 1
    return Math.sign(v || 1) * (0.1 + Math.abs(v))
  })
  const out = Tensor.fromArray(values, shape, 'float64')
  out.requiresGrad = true
  return out
}

/**
 * Compares autograd's gradient of sum(f(inputs) · w) (a fixed random weighting, so every output
 * element matters) with central finite differences, in float64 as PyTorch's gradcheck does.
 */
function gradcheck(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const probe = noGrad(() => f(...inputs))
  const weights = tensor([...probe.shape], 99)
  weights.requiresGrad = false
  const objective = (): Tensor => {
    const y = f(...inputs)
    return y.ndim === 0 ? mul(y, 1.3) : sum(mul(y, weights))
  }
  for (const x of inputs) x.grad = null
  objective().backward()
  const h = 1e-6
  for (const x of inputs) {
    const analytic = x.grad!.data
    for (let i = 0; i < x.numel; i++) {
      const saved = x.data[i]
      x.data[i] = saved + h
      const up = noGrad(objective).item()
      x.data[i] = saved - h
      const down = noGrad(objective).item()
      x.data[i] = saved
      const numeric = (up - down) / (2 * h)
      expect(Math.abs(analytic[i] - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)))
    }
  }
}

describe('gradients match finite differences (float64)', () => {
  it.each([
    ['add', (a: Tensor, b: Tensor) => add(a, b), [[3, 4], [3, 4]]],
    ['add scalar', (a: Tensor) => add(a, 0.5), [[5]]],
    ['sub', (a: Tensor, b: Tensor) => sub(a, b), [[3, 4], [3, 4]]],
    ['mul', (a: Tensor, b: Tensor) => mul(a, b), [[2, 3], [2, 3]]],
    ['mul scalar', (a: Tensor) => mul(a, -1.7), [[6]]],
    ['neg', (a: Tensor) => neg(a), [[4]]],
    ['pow 2', (a: Tensor) => pow(a, 2), [[3, 3]]],
    ['pow 3', (a: Tensor) => pow(a, 3), [[7]]],
    ['clamp(min=0)', (a: Tensor) => clampMin(a, 0), [[4, 5]]],
    ['mm', (a: Tensor, b: Tensor) => mm(a, b), [[3, 4], [4, 2]]],
    ['t', (a: Tensor) => t(a), [[3, 5]]],
    ['linear with bias', (x: Tensor, w: Tensor, b: Tensor) => linear(x, w, b), [[4, 3], [5, 3], [5]]],
    ['linear without bias', (x: Tensor, w: Tensor) => linear(x, w), [[4, 3], [2, 3]]],
    ['sum', (a: Tensor) => sum(a), [[3, 4]]],
    ['mean', (a: Tensor) => mean(a), [[3, 4]]],
    ['relu', (a: Tensor) => relu(a), [[4, 4]]],
    ['tanh', (a: Tensor) => tanh(a), [[4, 4]]],
    ['sigmoid', (a: Tensor) => sigmoid(a), [[4, 4]]],
    ['leaky_relu', (a: Tensor) => leakyRelu(a, 0.1), [[4, 4]]],
    ['mse_loss sum', (a: Tensor, b: Tensor) => mseLoss(a, b, 'sum'), [[3, 2], [3, 2]]],
    ['mse_loss mean', (a: Tensor, b: Tensor) => mseLoss(a, b, 'mean'), [[3, 2], [3, 2]]],
    ['mse_loss none', (a: Tensor, b: Tensor) => mseLoss(a, b, 'none'), [[3, 2], [3, 2]]]
  ] as const)('%s', (_name, f, shapes) => {
    const inputs = shapes.map((shape, i) => tensor([...shape], 7 + i))
    gradcheck(f as (...inputs: Tensor[]) => Tensor, inputs)
  })

  it('a two-layer net composed of the ops', () => {
    const x = tensor([6, 4], 1)
    x.requiresGrad = false
    const w1 = tensor([5, 4], 2)
    const b1 = tensor([5], 3)
    const w2 = tensor([2, 5], 4)
    const b2 = tensor([2], 5)
    const y = tensor([6, 2], 6)
    y.requiresGrad = false
    gradcheck((a, b, c, d) => mseLoss(linear(tanh(linear(x, a, b)), c, d), y, 'sum'), [w1, b1, w2, b2])
  })
})

describe('autograd bookkeeping', () => {
  it('names grad_fn like PyTorch and accumulates into .grad', () => {
    const w = tensor([2, 3], 1)
    const x = tensor([4, 3], 2)
    x.requiresGrad = false
    const b = tensor([2], 3)
    const out = linear(x, w, b)
    expect(out.gradFn?.name).toBe('AddmmBackward0')
    expect(relu(out).gradFn?.name).toBe('ReluBackward0')
    const loss = mseLoss(relu(out), Tensor.zeros([4, 2], 'float64'), 'sum')
    expect(loss.gradFn?.name).toBe('MseLossBackward0')
    loss.backward()
    const first = Array.from(w.grad!.data)
    mseLoss(relu(linear(x, w, b)), Tensor.zeros([4, 2], 'float64'), 'sum').backward()
    expect(Array.from(w.grad!.data)).toEqual(first.map((g) => g + g))
    expect(x.grad).toBeNull()
  })

  it('records nothing under noGrad and leaves leaves without grad_fn', () => {
    const w = tensor([3], 1)
    const y = noGrad(() => mul(w, 2))
    expect(y.requiresGrad).toBe(false)
    expect(y.gradFn).toBeNull()
    expect(w.gradFn).toBeNull()
    expect(() => y.backward()).toThrow('does not require grad')
  })

  it('detach shares storage but cuts the graph', () => {
    const w = tensor([3], 1)
    const d = mul(w, 2).detach()
    expect(d.requiresGrad).toBe(false)
    expect(d.gradFn).toBeNull()
  })

  it('gives each leaf its own gradient array when an op passes one gradient to several inputs', () => {
    const a = tensor([3], 1)
    const b = tensor([3], 2)
    sum(add(a, b)).backward()
    expect(a.grad!.data).not.toBe(b.grad!.data)
    a.grad!.data.fill(0)
    expect(Array.from(b.grad!.data)).toEqual([1, 1, 1])
    const c = tensor([2], 3)
    sum(add(c, c)).backward()
    expect(Array.from(c.grad!.data)).toEqual([2, 2])
  })

  it('rounds float32 results once per element op', () => {
    const a = Tensor.fromArray([1 / 3], [1])
    const b = Tensor.fromArray([1e-8], [1])
    expect(add(a, b).data[0]).toBe(Math.fround(Math.fround(1 / 3) + Math.fround(1e-8)))
  })
})

describe('relu and leaky_relu at NaN and signed zeros, as PyTorch 2.13 computes them', () => {
  // torch.relu(torch.tensor([nan, -0., 0., 1., -1.])) → [nan, -0., 0., 1., 0.], backward of ones →
  // [1, 0, 0, 1, 0]; leaky_relu(·, 0.01) → [nan, -0., 0., 1., -0.01], backward → [0.01, 0.01, 0.01, 1, 0.01].
  const inputs = (): Tensor => {
    const x = Tensor.fromArray([NaN, -0, 0, 1, -1], [5], 'float32')
    x.requiresGrad = true
    return x
  }

  it('relu', () => {
    const x = inputs()
    const y = relu(x)
    expect(Array.from(y.data)).toEqual([NaN, -0, 0, 1, 0])
    sum(y).backward()
    expect(Array.from(x.grad!.data)).toEqual([1, 0, 0, 1, 0])
  })

  it('leaky_relu', () => {
    const x = inputs()
    const y = leakyRelu(x, 0.01)
    expect(Array.from(y.data)).toEqual([NaN, -0, 0, 1, Math.fround(-0.01)])
    sum(y).backward()
    expect(Array.from(x.grad!.data)).toEqual([0.01, 0.01, 0.01, 1, 0.01].map(Math.fround))
  })
})
