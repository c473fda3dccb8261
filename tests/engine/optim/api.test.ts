import { describe, expect, it } from 'vitest'
import {
  SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, ValueError, createOptimizer, type Optimizer
} from '../../../src-main/engine/optim'
import { OPTIMIZER_NAMES, type OptimizerName } from '../../../src-main/shared/config'
import { Parameter, Tensor } from '../../../src-main/engine/tensor/tensor'
import { Linear, ReLU, Sequential } from '../../../src-main/engine/nn/layers'
import { MSELoss } from '../../../src-main/engine/nn/loss'
import { loadFixture, type NestedNumbers } from '../../helpers/fixtures'
import { PARAM_NAMES, compareFloat32, pseudoRandom, tensorFrom } from './support'

/** The object model a student inspects: shared parameters, state keyed by them, PyTorch's state dict. */

const HIGH_LR: Record<OptimizerName, Record<string, unknown>> = {
  SGD: { lr: 0.1, momentum: 0.9, nesterov: true },
  Adam: { lr: 0.1, amsgrad: true },
  AdamW: { lr: 0.1 },
  RMSprop: { lr: 0.01, centered: true, momentum: 0.5 },
  Adagrad: { lr: 0.1, lr_decay: 0.01 },
  Adadelta: { lr: 1 },
  Adamax: { lr: 0.1 },
  NAdam: { lr: 0.1 },
  RAdam: { lr: 0.1 } // 8 steps below: the rectified branch starts at step 6
}

function makeParams(dtype: 'float32' | 'float64' = 'float32'): Parameter[] {
  return [[4, 3], [4], [2, 4]].map((shape, i) => {
    const t = Tensor.fromArray(pseudoRandom(shape.reduce((a, b) => a * b), 7 + i), shape, dtype)
    return new Parameter(t.data, t.shape)
  })
}

function setGrads(params: Parameter[], t: number): void {
  params.forEach((p, i) => (p.grad = Tensor.fromArray(pseudoRandom(p.numel, 1000 * t + i + 1, 2), p.shape, p.dtype)))
}

function snapshot(optimizer: Optimizer, params: Parameter[]): number[][] {
  const values = params.map((p) => [...p.data])
  for (const p of params) for (const t of Object.values(optimizer.state.get(p) ?? {})) values.push([...t.data])
  return values
}

describe('identity: the optimizer holds the model’s own parameters', () => {
  const fixture = loadFixture<{
    init: Record<string, NestedNumbers>
    runs: Record<string, { params_after_step: Record<string, NestedNumbers>[] }>
  }>('2.13.0', 'small_seed7')

  function lessonModel(): Sequential {
    const model = new Sequential(new Linear(3, 5), new ReLU(), new Linear(5, 2))
    model.loadStateDict(Object.fromEntries(PARAM_NAMES.map((n) => [n, tensorFrom(fixture.init[n])])))
    return model
  }

  it('param_groups[0].params are the very objects of model.parameters(), and step() changes the model', () => {
    const model = lessonModel()
    const optimizer = new Adam(model.parameters(), { lr: 1e-4 })
    const params = model.parameters()
    params.forEach((p, i) => {
      expect(optimizer.paramGroups[0].params[i]).toBe(p)
      expect(optimizer.paramGroups[0].params[i].id).toBe(p.id)
    })
    const storages = params.map((p) => p.data)

    // The tutorial's loop, on the tutorial's small_seed7 data.
    const x = tensorFrom(fixture.init.x)
    const y = tensorFrom(fixture.init.y)
    const lossFn = new MSELoss('sum')
    for (let t = 0; t < 3; t++) {
      const loss = lossFn.call(model.call(x), y)
      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()
      params.forEach((p, i) => {
        expect(p.data).toBe(storages[i]) // updated in place
        const { mismatches } = compareFloat32(p.data, (fixture.runs.adam.params_after_step[t][PARAM_NAMES[i]] as number[][]).flat())
        expect(mismatches, `step ${t} ${PARAM_NAMES[i]}`).toBe(0)
      })
    }
    expect([...optimizer.state.keys()]).toEqual(params)
    expect(model.parameters()).toEqual(params)
  })

  it('state is keyed by the parameter objects, with PyTorch’s keys', () => {
    const params = makeParams()
    const optimizer = new NAdam(params)
    setGrads(params, 0)
    optimizer.step()
    expect(optimizer.state.get(params[1])).toBeDefined()
    expect(Object.keys(optimizer.state.get(params[1])!)).toEqual(['step', 'mu_product', 'exp_avg', 'exp_avg_sq'])
    expect(optimizer.state.get(params[1])!.exp_avg.shape).toEqual(params[1].shape)
    expect(optimizer.state.get(params[0].clone() as Parameter)).toBeUndefined()
  })
})

describe('zeroGrad and skipped parameters', () => {
  it('zeroGrad() sets grads to null; zeroGrad(false) zeroes the same grad tensor', () => {
    const params = makeParams()
    const optimizer = new SGD(params)
    setGrads(params, 0)
    optimizer.zeroGrad()
    expect(params.every((p) => p.grad === null)).toBe(true)
    setGrads(params, 0)
    const grads = params.map((p) => p.grad!)
    grads[0].requiresGrad = true
    optimizer.zeroGrad(false)
    params.forEach((p, i) => {
      expect(p.grad).toBe(grads[i])
      expect(p.grad!.data.every((v) => Object.is(v, 0))).toBe(true)
      expect(p.grad!.requiresGrad).toBe(false)
    })
  })

  it('a parameter whose grad is null gets no state and no step', () => {
    const params = makeParams()
    const optimizer = new Adam(params, { lr: 0.1 })
    const before = [...params[1].data]
    setGrads(params, 0)
    params[1].grad = null
    optimizer.step()
    expect(optimizer.state.has(params[1])).toBe(false)
    expect([...params[1].data]).toEqual(before)
    setGrads(params, 1)
    optimizer.step()
    expect(optimizer.state.get(params[0])!.step.item()).toBe(2)
    expect(optimizer.state.get(params[1])!.step.item()).toBe(1)
  })

  it('SGD without momentum keeps no state at all (2.x), with momentum a momentum_buffer', () => {
    const params = makeParams()
    const plain = new SGD(params, { lr: 0.1 })
    setGrads(params, 0)
    plain.step()
    expect(plain.state.size).toBe(0)
    expect(plain.stateDict().state).toEqual({})
    const heavy = new SGD(params, { lr: 0.1, momentum: 0.9 })
    heavy.step()
    expect(Object.keys(heavy.state.get(params[0])!)).toEqual(['momentum_buffer'])
  })

  it('Adagrad creates its state in the constructor, as PyTorch does', () => {
    const params = makeParams()
    const optimizer = new Adagrad(params, { initial_accumulator_value: 0.25 })
    expect(optimizer.state.size).toBe(3)
    expect(optimizer.state.get(params[2])!.step.item()).toBe(0)
    expect([...optimizer.state.get(params[2])!.sum.data]).toEqual(new Array(8).fill(0.25))
  })
})

describe('param groups', () => {
  it('groups take missing hyperparameters from defaults, in PyTorch’s key order', () => {
    const params = makeParams()
    const optimizer = new SGD([{ params: params.slice(0, 2), weight_decay: 0.1 }], { lr: 0.5 })
    optimizer.addParamGroup({ params: params[2], lr: 0.01 })
    expect(optimizer.paramGroups[1].params).toEqual([params[2]])
    const groups = optimizer.stateDict().param_groups
    expect(Object.keys(groups[0])).toEqual([
      'weight_decay', 'lr', 'momentum', 'dampening', 'nesterov', 'maximize', 'foreach', 'differentiable', 'fused', 'params'
    ])
    expect(groups[0]).toMatchObject({ lr: 0.5, weight_decay: 0.1, params: [0, 1] })
    expect(groups[1]).toMatchObject({ lr: 0.01, weight_decay: 0, params: [2] })
  })

  it('a key given as undefined takes the default', () => {
    const [p] = makeParams()
    expect(new SGD([{ params: [p], lr: undefined }], { lr: 0.3 }).paramGroups[0].lr).toBe(0.3)
    expect(new SGD([p], { lr: undefined }).defaults.lr).toBe(1e-3)
  })

  it('a new lr in a group applies at the next step', () => {
    const [p] = makeParams()
    const optimizer = new SGD([p], { lr: 0.1 })
    optimizer.paramGroups[0].lr = 0.5
    p.grad = Tensor.full(p.shape, 1)
    const before = [...p.data]
    optimizer.step()
    before.forEach((v, i) => expect(p.data[i]).toBe(Math.fround(v - 0.5)))
  })

  it('defaults and groups do not share mutable values (betas)', () => {
    const params = makeParams()
    const optimizer = new Adam([{ params: [params[0]] }, { params: [params[1]] }])
    optimizer.paramGroups[0].betas[0] = 0.5
    expect(optimizer.paramGroups[1].betas).toEqual([0.9, 0.999])
    expect(optimizer.defaults.betas).toEqual([0.9, 0.999])
  })
})

describe('state_dict / load_state_dict', () => {
  it.each(OPTIMIZER_NAMES)('%s: save after 4 steps, load into a fresh optimizer on cloned params, continue: identical', (name) => {
    const uninterrupted = makeParams()
    const a = createOptimizer(name, uninterrupted, HIGH_LR[name])
    for (let t = 0; t < 4; t++) {
      setGrads(uninterrupted, t)
      a.step()
    }
    const saved = a.stateDict()
    const resumed = uninterrupted.map((p) => new Parameter(p.data.slice(), p.shape))
    const b = createOptimizer(name, resumed, { lr: 0.001 }) // hyperparameters come from the state dict
    b.loadStateDict(saved)
    expect(b.stateDict().param_groups).toEqual(saved.param_groups)
    expect(b.paramGroups[0].params).toEqual(resumed)
    for (let t = 4; t < 8; t++) {
      setGrads(uninterrupted, t)
      setGrads(resumed, t)
      a.step()
      b.step()
    }
    expect(snapshot(b, resumed)).toEqual(snapshot(a, uninterrupted))
  })

  it('state_dict holds the optimizer’s own state tensors, 0-dim ones as numbers, params as indices', () => {
    const params = makeParams()
    const optimizer = new Adam([{ params: [params[0]] }, { params: params.slice(1), lr: 0.5 }])
    setGrads(params, 0)
    params[1].grad = null
    optimizer.step()
    const sd = optimizer.stateDict()
    expect(sd.param_groups.map((g) => g.params)).toEqual([[0], [1, 2]])
    expect(Object.keys(sd.state)).toEqual(['0', '2'])
    expect(sd.state[2].step).toBe(1)
    expect(sd.state[2].exp_avg).toBe(optimizer.state.get(params[2])!.exp_avg)
  })

  it('load_state_dict copies: later changes to the saved tensors do not leak in', () => {
    const params = makeParams()
    const optimizer = new Adam(params)
    setGrads(params, 0)
    optimizer.step()
    const sd = optimizer.stateDict()
    const other = new Adam(makeParams())
    other.loadStateDict(sd)
    ;(sd.state[0].exp_avg as Tensor).data.fill(42)
    expect(other.state.get(other.paramGroups[0].params[0])!.exp_avg.data[0]).not.toBe(42)
  })

  it('casts state to the parameter dtype, except step (NAdam’s mu_product included, as in PyTorch)', () => {
    const params = makeParams()
    const optimizer = new NAdam(params)
    setGrads(params, 0)
    optimizer.step()
    const doubles = makeParams('float64')
    const other = new NAdam(doubles)
    other.loadStateDict(optimizer.stateDict())
    const state = other.state.get(doubles[0])!
    expect(state.step.dtype).toBe('float32')
    expect(state.mu_product.dtype).toBe('float64')
    expect(state.exp_avg.dtype).toBe('float64')
  })

  it('rejects a state dict with another group structure, with PyTorch’s messages', () => {
    const params = makeParams()
    const optimizer = new SGD(params)
    const other = new SGD([{ params: params.slice(0, 1) }, { params: params.slice(1) }])
    expect(() => optimizer.loadStateDict(other.stateDict())).toThrow(
      new ValueError('loaded state dict has a different number of parameter groups')
    )
    const smaller = new SGD(params.slice(1))
    expect(() => optimizer.loadStateDict(smaller.stateDict())).toThrow(
      new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
    )
  })
})

describe('float64 parameters: no float32 rounding', () => {
  const classes = { SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam }

  it.each(OPTIMIZER_NAMES)('%s: the float64 update differs from the float32 one and stays float64', (name) => {
    const ctor = classes[name] as unknown as new (p: Parameter[], o: object) => Optimizer
    const singles = makeParams('float32')
    const doubles = makeParams('float64') // the same (float32-representable) starting values
    const a = new ctor(singles, HIGH_LR[name])
    const b = new ctor(doubles, HIGH_LR[name])
    for (let t = 0; t < 3; t++) {
      setGrads(singles, t)
      setGrads(doubles, t)
      a.step()
      b.step()
    }
    expect(doubles[0].data).toBeInstanceOf(Float64Array)
    const notFloat32 = [...doubles[0].data].filter((v) => Math.fround(v) !== v).length
    expect(notFloat32).toBeGreaterThan(doubles[0].numel / 2)
    expect([...doubles[0].data]).not.toEqual([...singles[0].data])
    for (const [key, t] of Object.entries(b.state.get(doubles[0])!)) {
      expect(t.dtype, key).toBe(key === 'step' || key === 'mu_product' ? 'float32' : 'float64')
    }
  })

  it('Adam, first step, in plain double arithmetic', () => {
    const p = new Parameter(Float64Array.of(1 + 2 ** -40, -0.3), [2])
    p.grad = new Tensor(Float64Array.of(0.1, 1e-3), [2])
    const optimizer = new Adam([p], { lr: 0.1, weight_decay: 0.01 })
    const [p0, p1] = [1 + 2 ** -40, -0.3]
    const expected = [p0, p1].map((theta, i) => {
      const g = [0.1, 1e-3][i] + 0.01 * theta
      const m = 0 + (1 - 0.9) * (g - 0)
      const v = 0 * 0.999 + (1 - 0.999) * g * g
      const denom = Math.sqrt(v) / Math.sqrt(1 - 0.999) + 1e-8
      return theta + (-(0.1 / (1 - 0.9)) * m) / denom
    })
    optimizer.step()
    expect([...p.data]).toEqual(expected)
    expect(Math.fround(p.data[0])).not.toBe(p.data[0])
  })

  it('SGD: lr = 0.1 is used as the double 0.1, not float32(0.1)', () => {
    const p = new Parameter(Float64Array.of(0.5), [1])
    p.grad = new Tensor(Float64Array.of(1), [1])
    new SGD([p], { lr: 0.1 }).step()
    expect(p.data[0]).toBe(0.5 - 0.1)
    expect(p.data[0]).not.toBe(0.5 - Math.fround(0.1))
  })
})
