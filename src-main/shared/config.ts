/**
 * The experiment configuration every process agrees on: the `lab` command's flags, the renderer's
 * form, the engine host's `startRun`. Hyperparameter keys keep PyTorch's spelling because they are
 * shown to students and serialised into `param_groups`.
 */

export const OPTIMIZER_NAMES = [
  'SGD',
  'Adam',
  'AdamW',
  'RMSprop',
  'Adagrad',
  'Adadelta',
  'Adamax',
  'NAdam',
  'RAdam'
] as const
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number]

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leaky_relu'] as const
export type ActivationName = (typeof ACTIVATIONS)[number]

export const REDUCTIONS = ['sum', 'mean'] as const
export type Reduction = (typeof REDUCTIONS)[number]

export const DTYPES = ['float32', 'float64'] as const
export type DType = (typeof DTYPES)[number]

/** Every hyperparameter any supported optimizer takes, named as in `torch.optim`. */
export interface Hyperparameters {
  lr: number
  momentum?: number
  dampening?: number
  nesterov?: boolean
  weight_decay?: number
  betas?: [number, number]
  eps?: number
  amsgrad?: boolean
  alpha?: number
  centered?: boolean
  rho?: number
  lr_decay?: number
  initial_accumulator_value?: number
  momentum_decay?: number
  maximize?: boolean
}
export type HyperparameterName = keyof Hyperparameters

/**
 * PyTorch 2.x constructor defaults for the hyperparameters a student can set (implementation flags
 * such as `foreach` live in the optimizer classes). The lesson overrides `lr` to 1e-4.
 */
export const OPTIMIZER_DEFAULTS: Record<OptimizerName, Hyperparameters> = {
  SGD: { lr: 1e-3, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
  Adam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false },
  AdamW: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-2, amsgrad: false, maximize: false },
  RMSprop: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false, maximize: false },
  Adagrad: { lr: 1e-2, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10, maximize: false },
  Adadelta: { lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0, maximize: false },
  Adamax: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, maximize: false },
  NAdam: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, momentum_decay: 4e-3, maximize: false },
  RAdam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, maximize: false }
}

/** Which hyperparameters an optimizer accepts (a flag outside this list is an error). */
export function hyperparametersOf(optimizer: OptimizerName): HyperparameterName[] {
  return Object.keys(OPTIMIZER_DEFAULTS[optimizer]) as HyperparameterName[]
}

export interface LabConfig {
  seed: number
  /** Number of samples (rows of x). */
  n: number
  dIn: number
  /** One Linear + activation per entry; the lesson has [100]. */
  hidden: number[]
  dOut: number
  activation: ActivationName
  reduction: Reduction
  dtype: DType
  optimizer: OptimizerName
  /** Only the keys the chosen optimizer accepts; missing ones take PyTorch's defaults. */
  hyper: Hyperparameters
  steps: number
}

/** The tutorial's experiment: the preset on first start and the `lab` command's defaults. */
export const LESSON_CONFIG: LabConfig = {
  seed: 0,
  n: 64,
  dIn: 1000,
  hidden: [100],
  dOut: 10,
  activation: 'relu',
  reduction: 'sum',
  dtype: 'float32',
  optimizer: 'Adam',
  hyper: { lr: 1e-4 },
  steps: 500
}

/** Hyperparameters with every default filled in, as PyTorch's `param_groups[0]` would hold them. */
export function resolvedHyperparameters(optimizer: OptimizerName, hyper: Partial<Hyperparameters>): Hyperparameters {
  const resolved: Hyperparameters = { ...OPTIMIZER_DEFAULTS[optimizer] }
  for (const key of hyperparametersOf(optimizer)) {
    const value = hyper[key]
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value
  }
  return resolved
}

/** Layer widths from input to output, e.g. [1000, 100, 10]. */
export function layerWidths(config: Pick<LabConfig, 'dIn' | 'hidden' | 'dOut'>): number[] {
  return [config.dIn, ...config.hidden, config.dOut]
}
