import type { Hyperparameters, OptimizerName } from '../../shared/config'
import type { Tensor } from '../tensor/tensor'
import type { Optimizer, ParamsInput } from './optimizer'
import { SGD } from './sgd'
import { Adam } from './adam'
import { AdamW } from './adamw'
import { RMSprop } from './rmsprop'
import { Adagrad } from './adagrad'
import { Adadelta } from './adadelta'
import { Adamax } from './adamax'
import { NAdam } from './nadam'
import { RAdam } from './radam'

export * from './optimizer'
export * from './sgd'
export * from './adam'
export * from './adamw'
export * from './rmsprop'
export * from './adagrad'
export * from './adadelta'
export * from './adamax'
export * from './nadam'
export * from './radam'

/** Parameters, or PyTorch's list of group dicts (`{ params, lr?, ... }`), for any optimizer. */
export type AnyParamsInput = Iterable<Tensor> | Iterable<{ params: Tensor | Iterable<Tensor> } & Partial<Hyperparameters>>

// The groups' keys are checked by each constructor, as Python checks keyword arguments.
type Params = ParamsInput<never>
const constructors: Record<OptimizerName, (params: Params, hyper: Partial<Hyperparameters>) => Optimizer> = {
  SGD: (params, hyper) => new SGD(params, hyper),
  Adam: (params, hyper) => new Adam(params, hyper),
  AdamW: (params, hyper) => new AdamW(params, hyper),
  RMSprop: (params, hyper) => new RMSprop(params, hyper),
  Adagrad: (params, hyper) => new Adagrad(params, hyper),
  Adadelta: (params, hyper) => new Adadelta(params, hyper),
  Adamax: (params, hyper) => new Adamax(params, hyper),
  NAdam: (params, hyper) => new NAdam(params, hyper),
  RAdam: (params, hyper) => new RAdam(params, hyper)
}

/**
 * `getattr(torch.optim, name)(params, **hyper)`, `params` being parameters or a list of group
 * dicts. Missing hyperparameters take PyTorch's defaults; a key the optimizer does not take is a
 * TypeError, as in Python.
 */
export function createOptimizer(name: OptimizerName, params: AnyParamsInput, hyper: Partial<Hyperparameters> = {}): Optimizer {
  const create = constructors[name]
  if (create === undefined) throw new TypeError(`unknown optimizer '${name}'`)
  return create(params as Params, hyper)
}
