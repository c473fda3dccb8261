import { describe, expect, it } from 'vitest'
import { createOptimizer, type Optimizer } from '../../../src-main/engine/optim'
import { explainUpdate, type UpdateBox } from '../../../src-main/engine/optim/explain'
import { Parameter, Tensor } from '../../../src-main/engine/tensor/tensor'
import type { DType } from '../../../src-main/engine/tensor/dtype'
import type { Hyperparameters, OptimizerName } from '../../../src-main/shared/config'
import { selectKernels } from '../../../src-main/engine/kernels/select'
import { pseudoRandom } from './support'

/**
 * The algorithm box against the engine itself: for every weight of two parameters, over steps that
 * cross each branch (first step, later steps, RAdam's ρ_t > 5), the box built from the values
 * before `step()` must hold the very θ_t and state values `step()` then writes, bit for bit (the
 * box uses the kernels' own operations in the kernels' order, in float32 and in float64).
 */

interface Case {
  optimizer: OptimizerName
  hyper: Partial<Hyperparameters>
}

const CASES: Record<string, Case> = {
  'SGD': { optimizer: 'SGD', hyper: { lr: 0.1 } },
  'SGD momentum dampening weight_decay': { optimizer: 'SGD', hyper: { lr: 0.1, momentum: 0.9, dampening: 0.3, weight_decay: 0.05 } },
  'SGD nesterov maximize': { optimizer: 'SGD', hyper: { lr: 0.1, momentum: 0.8, nesterov: true, maximize: true } },
  'Adam': { optimizer: 'Adam', hyper: { lr: 0.01 } },
  'Adam amsgrad weight_decay maximize': { optimizer: 'Adam', hyper: { lr: 0.01, amsgrad: true, weight_decay: 0.1, maximize: true } },
  'Adam betas ≥ 0.5 lerp branch': { optimizer: 'Adam', hyper: { lr: 0.01, betas: [0.3, 0.9] } },
  'AdamW': { optimizer: 'AdamW', hyper: { lr: 0.01 } },
  'AdamW amsgrad': { optimizer: 'AdamW', hyper: { lr: 0.01, weight_decay: 0.2, amsgrad: true } },
  'RMSprop': { optimizer: 'RMSprop', hyper: { lr: 0.01 } },
  'RMSprop centered momentum weight_decay': { optimizer: 'RMSprop', hyper: { lr: 0.01, centered: true, momentum: 0.9, weight_decay: 0.1 } },
  'Adagrad': { optimizer: 'Adagrad', hyper: { lr: 0.1 } },
  'Adagrad lr_decay initial accumulator weight_decay': {
    optimizer: 'Adagrad', hyper: { lr: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.25, weight_decay: 0.1 }
  },
  'Adadelta': { optimizer: 'Adadelta', hyper: { lr: 1 } },
  'Adadelta rho weight_decay maximize': { optimizer: 'Adadelta', hyper: { lr: 0.5, rho: 0.5, weight_decay: 0.1, maximize: true } },
  'Adamax': { optimizer: 'Adamax', hyper: { lr: 0.01 } },
  'Adamax weight_decay': { optimizer: 'Adamax', hyper: { lr: 0.01, weight_decay: 0.1, betas: [0.5, 0.99] } },
  'NAdam': { optimizer: 'NAdam', hyper: { lr: 0.01 } },
  'NAdam momentum_decay weight_decay': { optimizer: 'NAdam', hyper: { lr: 0.01, momentum_decay: 0.01, weight_decay: 0.1 } },
  'RAdam': { optimizer: 'RAdam', hyper: { lr: 0.01 } },
  'RAdam weight_decay maximize': { optimizer: 'RAdam', hyper: { lr: 0.01, weight_decay: 0.1, maximize: true } }
}

const STEPS = 8

/** Per-index values of `optimizer.state[p]` (0-dim entries as they are). */
function stateAt(optimizer: Optimizer, param: Tensor, index: number): Record<string, number> {
  const values: Record<string, number> = {}
  for (const [key, t] of Object.entries(optimizer.state.get(param) ?? {})) values[key] = t.ndim === 0 ? t.data[0] : t.data[index]
  return values
}

function run(c: Case, dtype: DType): { boxes: UpdateBox[]; checked: number; moved: number } {
  const shapes = [[3, 4], [4]]
  const params = shapes.map((shape, k) => {
    const n = shape.reduce((a, b) => a * b, 1)
    const t = Tensor.fromArray(pseudoRandom(n, 11 + k), shape, dtype)
    return new Parameter(t.data, t.shape)
  })
  const optimizer = createOptimizer(c.optimizer, params, c.hyper)
  const boxes: UpdateBox[] = []
  let checked = 0
  let moved = 0
  for (let step = 0; step < STEPS; step++) {
    params.forEach((p, k) => {
      p.grad = Tensor.fromArray(pseudoRandom(p.numel, 100 * step + k + 1, 2), p.shape, dtype)
    })
    const group = Object.fromEntries(Object.entries(optimizer.paramGroups[0]).filter(([key]) => key !== 'params'))
    const before = params.map((p) =>
      Array.from({ length: p.numel }, (_, i) =>
        explainUpdate(c.optimizer, { dtype, param: p.data[i], grad: p.grad!.data[i], state: stateAt(optimizer, p, i), group })
      )
    )
    const thetaBefore = params.map((p) => Array.from(p.data))
    optimizer.step()
    params.forEach((p, k) => {
      before[k].forEach((box, i) => {
        expect(Object.is(box.param, p.data[i]), `θ_t of weight ${i}, step ${step + 1}: box ${box.param}, engine ${p.data[i]}`).toBe(true)
        expect(box.lines.at(-1)!.value).toBe(box.param)
        const after = stateAt(optimizer, p, i)
        expect(Object.keys(box.state).sort()).toEqual(Object.keys(after).sort())
        for (const [key, value] of Object.entries(box.state)) {
          expect(Object.is(value, after[key]), `${key} of weight ${i}, step ${step + 1}: box ${value}, engine ${after[key]}`).toBe(true)
        }
        checked++
        if (p.data[i] !== thetaBefore[k][i]) moved++
      })
    })
    boxes.push(before[0][5])
  }
  return { boxes, checked, moved }
}

describe('algorithm box: θ_t and the new state equal the engine’s step(), bit for bit', () => {
  for (const [name, c] of Object.entries(CASES)) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${name} (${dtype})`, () => {
        const { checked, moved } = run(c, dtype)
        expect(checked).toBe(STEPS * 16)
        // The weights moved: boxes of no-ops would prove nothing.
        expect(moved).toBe(checked)
      })
    }
  }
})

describe('algorithm box: the lines of the branches taken', () => {
  const symbols = (box: UpdateBox): string[] => box.lines.map((line) => line.symbol)

  it('Adam: the docs’ lines in order, with t counted from state["step"]', () => {
    const { boxes } = run(CASES.Adam, 'float32')
    expect(symbols(boxes[0])).toEqual(['t', 'g_t', 'm_t', 'v_t', 'm̂_t', 'v̂_t', 'θ_t'])
    expect(boxes.map((box) => box.t)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(boxes[0].lines.find((l) => l.symbol === 'm_t')!.stateKey).toBe('exp_avg')
  })

  it('Adam with amsgrad, weight decay and maximize: −∇, + λθ and the running max', () => {
    const { boxes } = run(CASES['Adam amsgrad weight_decay maximize'], 'float32')
    expect(symbols(boxes[1])).toEqual(['t', 'g_t', 'g_t', 'm_t', 'v_t', 'm̂_t', 'v_t^max', 'v̂_t', 'θ_t'])
    expect(boxes[1].lines[1].condition).toBe('maximize')
    expect(boxes[1].lines[2].formula).toBe('g_t + λ·θ_{t−1}')
  })

  it('AdamW decays θ before the Adam update', () => {
    const { boxes } = run(CASES.AdamW, 'float32')
    expect(boxes[0].lines[2]).toMatchObject({ symbol: 'θ_t', formula: 'θ_{t−1} − γλ·θ_{t−1}' })
  })

  it('SGD momentum: b_t ← g_t on the first step, μ·b + (1 − τ)·g after', () => {
    const { boxes } = run(CASES['SGD momentum dampening weight_decay'], 'float32')
    expect(boxes[0].lines.find((l) => l.symbol === 'b_t')!.formula).toBe('g_t')
    expect(boxes[1].lines.find((l) => l.symbol === 'b_t')!.formula).toBe('μ·b_{t−1} + (1 − τ)·g_t')
    expect(boxes[0].t).toBeNull()
  })

  it('RAdam: un-rectified while ρ_t ≤ 5, rectified (l_t, r_t) after', () => {
    const { boxes } = run(CASES.RAdam, 'float32')
    expect(boxes[0].lines.at(-1)!.condition).toBe('ρ_t ≤ 5')
    expect(symbols(boxes[0])).not.toContain('r_t')
    const last = boxes.at(-1)!
    expect(last.lines.at(-1)!.condition).toBe('ρ_t > 5')
    expect(symbols(last)).toEqual(expect.arrayContaining(['ρ_∞', 'ρ_t', 'l_t', 'r_t']))
  })

  it('RMSprop centered with momentum: g^ave, ṽ and b', () => {
    const { boxes } = run(CASES['RMSprop centered momentum weight_decay'], 'float32')
    expect(symbols(boxes[0])).toEqual(['t', 'g_t', 'g_t', 'v_t', 'g^ave_t', 'ṽ_t', 'b_t', 'θ_t'])
  })

  it('NAdam keeps Π_t as mu_product', () => {
    const { boxes } = run(CASES.NAdam, 'float32')
    const pi = boxes.map((box) => box.lines.find((l) => l.symbol === 'Π_t')!.value)
    expect(pi[1]).toBeLessThan(pi[0])
    expect(boxes[0].state.mu_product).toBe(pi[0])
  })
})

describe('algorithm box: Adam under the WebAssembly kernels (web mode and the app use them)', () => {
  // The wasm Adam hook replaces the TypeScript loop; the box must still be its bit-exact account.
  it.each(['Adam', 'Adam amsgrad weight_decay maximize', 'AdamW amsgrad'])('%s (float32)', (name) => {
    const active = selectKernels('wasm')
    try {
      expect(active.name).not.toBe('typescript')
      const { checked, moved } = run(CASES[name], 'float32')
      expect(moved).toBe(checked)
    } finally {
      selectKernels('typescript')
    }
  })
})
