/**
 * CrossEntropyLoss against real PyTorch 2.13 (tests/fixtures/torch-2.13.0/classification.json, from
 * scripts/torch/gen_classification.py) and against central finite differences in float64.
 */
import { describe, expect, it } from 'vitest'
import { noGrad } from '../../../src-main/engine/autograd/graph'
import { CrossEntropyLoss } from '../../../src-main/engine/nn/loss'
import { crossEntropyLoss, logSoftmax, nllLoss } from '../../../src-main/engine/ops/loss'
import { mul } from '../../../src-main/engine/ops/elementwise'
import { sum } from '../../../src-main/engine/ops/reduction'
import { Tensor } from '../../../src-main/engine/tensor/tensor'
import { loadFixture } from '../../helpers/fixtures'

interface OpCase {
  name: string
  dtype: 'float32' | 'float64'
  reduction: 'mean' | 'sum' | 'none'
  shape: [number, number]
  logits: number[]
  target: number[]
  weights: number[] | null
  loss: number | number[]
  grad: number[]
  grad_fn: string
  grad_fn_input: string
}
const { ops } = loadFixture<{ ops: OpCase[] }>('2.13.0', 'classification')

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))
/** float32: a few ulps (PyTorch sums in float32 cascades and SLEEF's exp; we sum in double); float64: 1e-12. */
const tolerance = (dtype: string): number => (dtype === 'float32' ? 4e-7 : 1e-12)

describe.each(ops)('F.cross_entropy: $name', (c) => {
  const run = () => {
    const logits = Tensor.fromArray(c.logits, c.shape, c.dtype)
    logits.requiresGrad = true
    const loss = new CrossEntropyLoss(c.reduction).call(logits, c.target)
    const objective = c.reduction === 'none' ? sum(mul(loss, Tensor.fromArray(c.weights!, [c.shape[0]], c.dtype))) : loss
    objective.backward()
    return { logits, loss }
  }

  it('gives PyTorch’s loss', () => {
    const { loss } = run()
    const expected = Array.isArray(c.loss) ? c.loss : [c.loss]
    expect(loss.shape).toEqual(c.reduction === 'none' ? [c.shape[0]] : [])
    const got = [...loss.data]
    got.forEach((value, i) => expect(rel(value, expected[i]), `loss[${i}] ${value} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance(c.dtype)))
  })

  it('gives PyTorch’s gradient', () => {
    const { logits } = run()
    const grad = [...logits.grad!.data]
    const scale = Math.max(...c.grad.map(Math.abs))
    grad.forEach((g, i) => expect(Math.abs(g - c.grad[i]) / scale, `grad[${i}] ${g} vs ${c.grad[i]}`).toBeLessThanOrEqual(4 * tolerance(c.dtype)))
  })

  it('names its graph as PyTorch does', () => {
    const { loss } = run()
    expect(loss.gradFn?.name).toBe(c.grad_fn)
    expect(loss.gradFn?.inputs[0].gradFn?.name).toBe(c.grad_fn_input)
  })
})

describe('cross entropy gradcheck (float64, central differences)', () => {
  const logits = (): Tensor => {
    const values = Array.from({ length: 12 }, (_, i) => Math.sin(i * 1.7) * 2 + 0.1 * i)
    const t = Tensor.fromArray(values, [4, 3], 'float64')
    t.requiresGrad = true
    return t
  }
  it.each(['mean', 'sum', 'none'] as const)('reduction=%s', (reduction) => {
    const x = logits()
    const target = [2, 0, 1, 1]
    const w = Tensor.fromArray([0.3, -1.1, 0.7, 1.9], [4], 'float64')
    const f = (): Tensor => {
      const loss = crossEntropyLoss(x, target, reduction)
      return reduction === 'none' ? sum(mul(loss, w)) : loss
    }
    f().backward()
    const analytic = [...x.grad!.data]
    const h = 1e-6
    for (let i = 0; i < x.numel; i++) {
      const saved = x.data[i]
      x.data[i] = saved + h
      const up = noGrad(f).item()
      x.data[i] = saved - h
      const down = noGrad(f).item()
      x.data[i] = saved
      expect(Math.abs(analytic[i] - (up - down) / (2 * h))).toBeLessThan(1e-8)
    }
  })

  it('log_softmax rows are log-probabilities: exp sums to 1', () => {
    const out = logSoftmax(logits())
    for (let r = 0; r < 4; r++) {
      let s = 0
      for (let c = 0; c < 3; c++) s += Math.exp(out.data[r * 3 + c])
      expect(s).toBeCloseTo(1, 14)
    }
  })
})

describe('nll_loss errors, in PyTorch’s words', () => {
  const x = Tensor.fromArray([0, 0, 0, 0, 0, 0], [2, 3])
  it('refuses a target out of range, a batch mismatch, a non-integer target', () => {
    expect(() => nllLoss(x, [0, 3])).toThrow('Target 3 is out of bounds.')
    expect(() => nllLoss(x, [0, -1])).toThrow('Target -1 is out of bounds.')
    expect(() => nllLoss(x, [0])).toThrow('Expected input batch_size (2) to match target batch_size (1).')
    expect(() => nllLoss(x, [0, 1.5])).toThrow(/class indices/)
    expect(() => new CrossEntropyLoss('avg' as 'mean')).toThrow('avg is not a valid value for reduction')
  })
  it('is nan for mean over only ignored targets, 0 for sum', () => {
    expect(Number.isNaN(nllLoss(x, [-100, -100]).item())).toBe(true)
    expect(nllLoss(x, [-100, -100], 'sum').item()).toBe(0)
  })
})
