import { afterAll, describe, expect, it } from 'vitest'
import { useKernels, type Kernels } from '../../../src-main/engine/kernels/kernels'
import { typescriptKernels } from '../../../src-main/engine/kernels/typescript-kernels'
import { wasmKernels } from '../../../src-main/engine/kernels/wasm-kernels'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { LESSON_CONFIG, type LabConfig } from '../../../src-main/shared/config'

// The session's static step (forward and backward without a recorded graph) must train exactly as
// autograd does: every loss, weight, gradient and optimizer state bit for bit, with either kernels.

const small = (overrides: Partial<LabConfig> = {}): LabConfig => ({
  ...LESSON_CONFIG,
  n: 16,
  dIn: 40,
  hidden: [24],
  dOut: 5,
  steps: 12,
  hyper: { lr: 1e-2 },
  ...overrides
})

/** Every number a step leaves behind: its loss, then weights, gradients and optimizer state in order. */
function trace(session: TrainingSession): number[] {
  const loss = session.step()
  const numbers = [loss]
  const add = (values: ArrayLike<number>): void => {
    for (let i = 0; i < values.length; i++) numbers.push(values[i])
  }
  for (const p of session.model.parameters()) {
    add(p.data)
    add(p.grad?.data ?? [NaN])
    for (const t of Object.values(session.optimizer.state.get(p) ?? {})) add(t.data)
  }
  return numbers
}

function expectSameTraining(config: LabConfig, freeze: (s: TrainingSession) => void = () => undefined): void {
  const fast = new TrainingSession(config)
  const recorded = new TrainingSession(config, { recordGraph: true })
  freeze(fast)
  freeze(recorded)
  expect(fast.usesStaticStep).toBe(true)
  expect(recorded.usesStaticStep).toBe(false)
  for (let t = 0; t < config.steps; t++) {
    const a = trace(fast)
    const b = trace(recorded)
    expect(a.length).toBe(b.length)
    // Object.is: the same bits, −0 and NaN included.
    const firstDifference = a.findIndex((v, i) => !Object.is(v, b[i]))
    expect(firstDifference, `step ${t}`).toBe(-1)
  }
}

const CASES: [string, Partial<LabConfig>][] = [
  ['the lesson (ReLU, MSELoss sum, Adam)', {}],
  ['Tanh, MSELoss mean, AdamW', { activation: 'tanh', reduction: 'mean', optimizer: 'AdamW', hyper: { lr: 1e-2, weight_decay: 0.1 } }],
  ['Sigmoid, SGD with momentum and a scheduler', { activation: 'sigmoid', optimizer: 'SGD', hyper: { lr: 0.5, momentum: 0.9 }, scheduler: { kind: 'StepLR', options: { step_size: 3, gamma: 0.5 } } }],
  ['LeakyReLU in float64, RMSprop', { activation: 'leaky_relu', dtype: 'float64', optimizer: 'RMSprop', hyper: { lr: 1e-3 } }],
  ['two hidden layers, one param group per layer', { hidden: [24, 12], paramGroups: 'per-layer' }]
]

describe.each<[string, () => Kernels | null]>([
  ['TypeScript kernels', () => typescriptKernels],
  ['WebAssembly kernels', () => wasmKernels()]
])('the static step with the %s', (_name, kernels) => {
  const previous = useKernels(kernels() ?? typescriptKernels)
  afterAll(() => {
    useKernels(previous)
  })

  it.each(CASES)('trains as autograd does: %s', (_case, overrides) => {
    expectSameTraining(small(overrides))
  })

  it('trains the lesson itself as autograd does', () => {
    expectSameTraining({ ...LESSON_CONFIG, steps: 4 })
  })

  it('leaves frozen parameters without gradients, as autograd does', () => {
    expectSameTraining(small({ hidden: [24, 12] }), (s) => {
      const [w1, b1] = s.model.parameters()
      w1.requiresGrad = false
      b1.requiresGrad = false
    })
  })
})

describe('when the static step applies', () => {
  it('trains through autograd for other losses, other zero_grad modes, or when asked', () => {
    expect(new TrainingSession(small()).usesStaticStep).toBe(true)
    expect(new TrainingSession(small(), { recordGraph: true }).usesStaticStep).toBe(false)
    expect(new TrainingSession(small({ zeroGrad: 'zeros' })).usesStaticStep).toBe(false)
    expect(new TrainingSession(small({ zeroGrad: 'skip' })).usesStaticStep).toBe(false)
    const classification = small({ dIn: 2, dOut: 2, data: { kind: 'moons', noise: 0.1 }, loss: 'cross_entropy' })
    expect(new TrainingSession(classification).usesStaticStep).toBe(false)
  })

  it('fails as autograd does when no parameter requires grad', () => {
    for (const options of [{}, { recordGraph: true }]) {
      const session = new TrainingSession(small(), options)
      for (const p of session.model.parameters()) p.requiresGrad = false
      expect(() => session.step()).toThrow('element 0 of tensors does not require grad and does not have a grad_fn')
    }
  })

  it('keeps one gradient storage per parameter across steps', () => {
    const session = new TrainingSession(small())
    const [w1] = session.model.parameters()
    session.step()
    const first = w1.grad!.data
    session.step()
    expect(w1.grad!.data).toBe(first)
  })
})
