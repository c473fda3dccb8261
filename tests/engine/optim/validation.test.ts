import { describe, expect, it } from 'vitest'
import {
  SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, ValueError, createOptimizer, type Optimizer
} from '../../../src-main/engine/optim'
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, type OptimizerName } from '../../../src-main/shared/config'
import { Parameter, Tensor } from '../../../src-main/engine/tensor/tensor'
import { pseudoRandom } from './support'

/**
 * The optimizer table: for each optimizer, configurations PyTorch accepts and the ones it rejects,
 * with its exact messages (checked against torch 2.13.0), plus a 10-step high-lr trajectory per
 * valid configuration that must stay finite and move the parameters.
 */

type Options = Record<string, unknown>
interface OptimizerInfo {
  name: OptimizerName
  ctor: new (params: Iterable<Tensor>, options?: Options) => Optimizer
  valid: Options[]
  errors: [Options, ErrorConstructor | typeof ValueError, string][]
}

const nanLr: [Options, typeof ValueError, string] = [{ lr: NaN }, ValueError, 'Invalid learning rate: nan']
const betaErrors: [Options, typeof ValueError, string][] = [
  [{ betas: [1.5, 0.999] }, ValueError, 'Invalid beta parameter at index 0: 1.5'],
  [{ betas: [-0.1, 0.9] }, ValueError, 'Invalid beta parameter at index 0: -0.1'],
  [{ betas: [0.9, 1] }, ValueError, 'Invalid beta parameter at index 1: 1'],
  [{ betas: [0.9, NaN] }, ValueError, 'Invalid beta parameter at index 1: nan']
]

const optimizerInfos: OptimizerInfo[] = [
  {
    name: 'SGD', ctor: SGD as never,
    valid: [{}, { lr: 0.1 }, { lr: 0.1, momentum: 0.9 }, { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 },
      { lr: 0.1, momentum: 0.5, dampening: 0.5, maximize: true }],
    errors: [
      [{ lr: -1 }, ValueError, 'Invalid learning rate: -1'], nanLr,
      [{ momentum: -0.5 }, ValueError, 'Invalid momentum value: -0.5'],
      [{ weight_decay: -1e-5 }, ValueError, 'Invalid weight_decay value: -1e-05'],
      [{ nesterov: true }, ValueError, 'Nesterov momentum requires a momentum and zero dampening'],
      [{ nesterov: true, momentum: 0.9, dampening: 0.1 }, ValueError, 'Nesterov momentum requires a momentum and zero dampening'],
      [{ betas: [0.9, 0.99] }, TypeError, "SGD.__init__() got an unexpected keyword argument 'betas'"]
    ]
  },
  {
    name: 'Adam', ctor: Adam as never,
    valid: [{}, { lr: 0.1 }, { lr: 0.1, amsgrad: true, weight_decay: 0.01 }, { lr: 0.1, betas: [0.3, 0.6], maximize: true },
      { lr: 0.1, weight_decay: 0.1, decoupled_weight_decay: true }, { lr: 0.1, foreach: false }],
    errors: [
      [{ lr: -1 }, ValueError, 'Invalid learning rate: -1'], nanLr,
      [{ lr: -1, eps: -1 }, ValueError, 'Invalid learning rate: -1'],
      [{ eps: -1e-8 }, ValueError, 'Invalid epsilon value: -1e-08'], ...betaErrors,
      [{ weight_decay: -1 }, ValueError, 'Invalid weight_decay value: -1'],
      [{ momentum: 0.9 }, TypeError, "Adam.__init__() got an unexpected keyword argument 'momentum'"],
      [{ foreach: true }, ValueError, "foreach=True is not supported: Optim Lab implements PyTorch's single-tensor (for-loop) path"],
      [{ fused: true }, ValueError, "fused=True is not supported: Optim Lab implements PyTorch's single-tensor (for-loop) path"]
    ]
  },
  {
    name: 'AdamW', ctor: AdamW as never,
    valid: [{}, { lr: 0.1 }, { lr: 0.1, amsgrad: true, weight_decay: 0.3 }, { lr: 0.1, weight_decay: 0 }],
    errors: [
      [{ lr: -0.001 }, ValueError, 'Invalid learning rate: -0.001'], nanLr, ...betaErrors,
      [{ eps: -1 }, ValueError, 'Invalid epsilon value: -1'],
      [{ weight_decay: -0.01 }, ValueError, 'Invalid weight_decay value: -0.01'],
      [{ decoupled_weight_decay: true }, TypeError, "AdamW.__init__() got an unexpected keyword argument 'decoupled_weight_decay'"]
    ]
  },
  {
    name: 'RMSprop', ctor: RMSprop as never,
    valid: [{}, { lr: 0.01, centered: true }, { lr: 0.01, momentum: 0.9, centered: true, weight_decay: 0.1 }, { alpha: 0.3, maximize: true }],
    errors: [
      [{ lr: -1 }, ValueError, 'Invalid learning rate: -1'], nanLr,
      [{ eps: -1 }, ValueError, 'Invalid epsilon value: -1'],
      [{ momentum: -1 }, ValueError, 'Invalid momentum value: -1'],
      [{ weight_decay: -1 }, ValueError, 'Invalid weight_decay value: -1'],
      [{ alpha: -0.1 }, ValueError, 'Invalid alpha value: -0.1']
    ]
  },
  {
    name: 'Adagrad', ctor: Adagrad as never,
    valid: [{}, { lr: 0.1, lr_decay: 0.1, initial_accumulator_value: 0.5 }, { weight_decay: 0.1, eps: 1e-3, maximize: true }],
    errors: [
      [{ lr: -1 }, ValueError, 'Invalid learning rate: -1'], nanLr,
      [{ lr_decay: -1 }, ValueError, 'Invalid lr_decay value: -1'],
      [{ weight_decay: -1 }, ValueError, 'Invalid weight_decay value: -1'],
      [{ initial_accumulator_value: -1 }, ValueError, 'Invalid initial_accumulator_value value: -1'],
      [{ eps: -1e-10 }, ValueError, 'Invalid epsilon value: -1e-10']
    ]
  },
  {
    name: 'Adadelta', ctor: Adadelta as never,
    valid: [{}, { rho: 0 }, { rho: 1 }, { lr: 0.5, rho: 0.5, weight_decay: 0.1, maximize: true }],
    errors: [
      [{ lr: -1 }, ValueError, 'Invalid learning rate: -1'], nanLr,
      [{ rho: 1.5 }, ValueError, 'Invalid rho value: 1.5'],
      [{ rho: -0.1 }, ValueError, 'Invalid rho value: -0.1'],
      [{ rho: NaN }, ValueError, 'Invalid rho value: nan'],
      [{ eps: -1 }, ValueError, 'Invalid epsilon value: -1'],
      [{ weight_decay: -1 }, ValueError, 'Invalid weight_decay value: -1']
    ]
  },
  {
    name: 'Adamax', ctor: Adamax as never,
    valid: [{}, { lr: 0.05, betas: [0.4, 0.9], weight_decay: 0.1, maximize: true }],
    errors: [
      [{ lr: -1 }, ValueError, 'Invalid learning rate: -1'], nanLr, ...betaErrors,
      [{ eps: -1 }, ValueError, 'Invalid epsilon value: -1'],
      [{ weight_decay: -1 }, ValueError, 'Invalid weight_decay value: -1']
    ]
  },
  {
    name: 'NAdam', ctor: NAdam as never,
    valid: [{}, { lr: 0.05, momentum_decay: 0.1, weight_decay: 0.1 }, { weight_decay: 0.1, decoupled_weight_decay: true, maximize: true }],
    errors: [
      [{ lr: -1 }, ValueError, 'Invalid learning rate: -1'], nanLr, ...betaErrors,
      [{ eps: -1 }, ValueError, 'Invalid epsilon value: -1'],
      [{ weight_decay: -1 }, ValueError, 'Invalid weight_decay value: -1'],
      [{ momentum_decay: -1 }, ValueError, 'Invalid momentum_decay value: -1']
    ]
  },
  {
    name: 'RAdam', ctor: RAdam as never,
    valid: [{}, { lr: 0.05, betas: [0.8, 0.9], weight_decay: 0.1 }, { weight_decay: 0.1, decoupled_weight_decay: true, maximize: true }],
    errors: [
      [{ lr: -1 }, ValueError, 'Invalid learning rate: -1'], nanLr, ...betaErrors,
      [{ eps: -1 }, ValueError, 'Invalid epsilon value: -1'],
      [{ weight_decay: -0.01 }, ValueError, 'Invalid weight_decay value: -0.01']
    ]
  }
]

function freshParams(): Parameter[] {
  return [new Parameter(pseudoRandom(12, 1), [3, 4]), new Parameter(pseudoRandom(3, 2), [3])]
}

it('the table covers every optimizer the app offers', () => {
  expect(optimizerInfos.map((i) => i.name).sort()).toEqual([...OPTIMIZER_NAMES].sort())
})

describe.each(optimizerInfos)('$name', ({ name, ctor, valid, errors }) => {
  it('defaults: PyTorch 2.x values for every student-settable hyperparameter', () => {
    const optimizer = new ctor(freshParams())
    expect(optimizer.defaults).toMatchObject(OPTIMIZER_DEFAULTS[name] as unknown as Options)
    expect(optimizer.paramGroups[0]).toMatchObject(OPTIMIZER_DEFAULTS[name] as unknown as Options)
  })

  it.each(valid)('accepts %j and takes 10 high-lr steps', (options) => {
    const params = freshParams()
    const before = params.map((p) => p.data.slice())
    const optimizer = new ctor(params, { ...options, lr: (options.lr as number | undefined) ?? 0.5 })
    for (let t = 0; t < 10; t++) {
      params.forEach((p, i) => (p.grad = new Tensor(pseudoRandom(p.numel, 100 + 10 * t + i), p.shape)))
      optimizer.step()
    }
    for (const [i, p] of params.entries()) {
      expect(p.data.every(Number.isFinite)).toBe(true)
      expect(p.data).not.toEqual(before[i])
    }
  })

  it.each(errors)('rejects %j', (options, type, message) => {
    const attempt = () => new ctor(freshParams(), options)
    expect(attempt).toThrow(type)
    expect(attempt).toThrow(message)
    try {
      attempt()
    } catch (error) {
      expect((error as Error).message).toBe(message)
      expect((error as Error).name).toBe(type === ValueError ? 'ValueError' : 'TypeError')
    }
  })

  it('createOptimizer builds the same class', () => {
    expect(createOptimizer(name, freshParams(), { lr: 0.1 })).toBeInstanceOf(ctor)
  })
})

describe('parameter-list checks (Optimizer base)', () => {
  const p = () => new Parameter(new Float32Array(2), [2])
  it.each([
    [[], ValueError, 'optimizer got an empty parameter list'],
    [[1], TypeError, 'optimizer can only optimize Tensors, but one of the params is int'],
    [[1.5], TypeError, 'optimizer can only optimize Tensors, but one of the params is float'],
    [[null], TypeError, 'optimizer can only optimize Tensors, but one of the params is NoneType'],
    [[new Parameter(new Float32Array(2), [2]), 'a'], TypeError, 'optimizer can only optimize Tensors, but one of the params is str']
  ])('SGD(%j) raises', (params, type, message) => {
    expect(() => new SGD(params as never)).toThrow(type)
    expect(() => new SGD(params as never)).toThrow(message)
  })

  it('a bare tensor is not a parameter list', () => {
    expect(() => new SGD(p() as never)).toThrow(
      'params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor'
    )
  })

  it('rejects a non-leaf tensor', () => {
    const nonLeaf = p()
    nonLeaf.gradFn = { name: 'MulBackward0', inputs: [], backward: () => [] }
    expect(() => new SGD([nonLeaf])).toThrow("can't optimize a non-leaf Tensor")
  })

  it('rejects a parameter in two groups, sets and non-dict groups', () => {
    const shared = p()
    expect(() => new SGD([{ params: [shared] }, { params: [shared] }])).toThrow(
      'some parameters appear in more than one parameter group'
    )
    const optimizer = new SGD([p()])
    expect(() => optimizer.addParamGroup([p()] as never)).toThrow("param_group must be a dict, but got <class 'list'>")
    expect(() => optimizer.addParamGroup({ params: new Set([p()]) })).toThrow(
      'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.'
    )
    expect(() => optimizer.addParamGroup({ params: optimizer.paramGroups[0].params })).toThrow(
      'some parameters appear in more than one parameter group'
    )
  })
})
