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
  /**
   * How `model.parameters()` are split into `optimizer.param_groups`: `'single'` (the default, the
   * tutorial's `model.parameters()`) or `'per-layer'`, one group per Linear layer (its weight and
   * bias), input side first. `paramGroupLayout()` lists the groups.
   */
  paramGroups?: ParamGroupMode
  /**
   * Per-group hyperparameters: `groupHyper[g]` is written into group g's dict, as in
   * `[{"params": ..., "lr": 1e-3}, {"params": ...}]`. A missing entry or key takes `hyper` (the
   * optimizer's defaults, in PyTorch's terms). Only keys the optimizer accepts.
   */
  groupHyper?: Partial<Hyperparameters>[]
  /** A `torch.optim.lr_scheduler`, stepped after every `optimizer.step()`; none by default. */
  scheduler?: SchedulerConfig
  /**
   * Where x and y come from: the lesson's `randn` regression (the default), a synthetic 2-D
   * classification set, or an imported CSV. `n`, `dIn` and `dOut` must describe it (data-check.ts).
   */
  data?: DataConfig
  /** `'mse'` (`nn.MSELoss`, the default) or `'cross_entropy'` (`nn.CrossEntropyLoss`, class targets). */
  loss?: LossName
  /**
   * What each step does before `loss.backward()`: `'set_to_none'` (the default, PyTorch 2.x's
   * `optimizer.zero_grad()`), `'zeros'` (`zero_grad(set_to_none=False)`) or `'skip'` (the call left
   * out: backward adds into the old `.grad`, so gradients accumulate across steps).
   */
  zeroGrad?: ZeroGradMode
}

export const ZERO_GRAD_MODES = ['set_to_none', 'zeros', 'skip'] as const
export type ZeroGradMode = (typeof ZERO_GRAD_MODES)[number]

export function zeroGradOf(config: Pick<LabConfig, 'zeroGrad'>): ZeroGradMode {
  return config.zeroGrad ?? 'set_to_none'
}

// ---- data and loss (additive: a config without them is the lesson's randn regression with MSELoss) ----

export const LOSS_NAMES = ['mse', 'cross_entropy'] as const
export type LossName = (typeof LOSS_NAMES)[number]
/** The classes the loss is built from, as PyTorch names them. */
export const LOSS_CLASS_NAMES: Record<LossName, string> = { mse: 'MSELoss', cross_entropy: 'CrossEntropyLoss' }

export const DATA_KINDS = ['randn', 'moons', 'circles', 'spiral', 'csv'] as const
export type DataKind = (typeof DATA_KINDS)[number]
export const SYNTHETIC_KINDS = ['moons', 'circles', 'spiral'] as const
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number]

export type DataConfig =
  /** x = randn(N, D_in), y = randn(N, D_out): the lesson. */
  | { kind: 'randn' }
  /**
   * A small 2-D classification set drawn from the seed (engine/data/synthetic.ts): d_in = 2,
   * d_out = number of classes (2; spiral: `classes`). `noise` is the std of the Gaussian noise.
   */
  | { kind: 'moons' | 'circles'; noise: number }
  | { kind: 'spiral'; noise: number; classes: number }
  /**
   * Imported from a CSV file (renderer/lib/csv-import.ts): `x` holds N × d_in values row-major;
   * `y` holds N × d_out targets (regression) or N class indices in [0, d_out) (classification).
   */
  | { kind: 'csv'; task: CsvTask; name: string; x: number[]; y: number[] }

export const CSV_TASKS = ['regression', 'classification'] as const
export type CsvTask = (typeof CSV_TASKS)[number]

/** circles: the inner ring's radius relative to the outer one (scikit-learn's `factor`). */
export const CIRCLES_FACTOR = 0.5

/** Defaults of the synthetic sets (scikit-learn's gallery values; CS231n's spiral). */
export const SYNTHETIC_DEFAULTS: Record<SyntheticKind, { noise: number; classes: number; n: number }> = {
  moons: { noise: 0.1, classes: 2, n: 200 },
  circles: { noise: 0.05, classes: 2, n: 200 },
  spiral: { noise: 0.2, classes: 3, n: 300 }
}

export function dataKindOf(config: Pick<LabConfig, 'data'>): DataKind {
  return config.data?.kind ?? 'randn'
}

export function lossOf(config: Pick<LabConfig, 'loss'>): LossName {
  return config.loss ?? 'mse'
}

/** Classes of a classification dataset, or null for regression data. */
export function classCount(config: Pick<LabConfig, 'data' | 'dOut'>): number | null {
  const data = config.data
  if (!data || data.kind === 'randn') return null
  if (data.kind === 'spiral') return data.classes
  if (data.kind === 'csv') return data.task === 'classification' ? config.dOut : null
  return 2
}

export const PARAM_GROUP_MODES = ['single', 'per-layer'] as const
export type ParamGroupMode = (typeof PARAM_GROUP_MODES)[number]

/** One optimizer param group as the UI's table shows it, without building the model. */
export interface ParamGroupLayout {
  /** Indices in the `Sequential` of the Linear layers in this group (0, 2, 4, ...). */
  layers: number[]
  /** Its parameters' `state_dict` keys, in `model.parameters()` order (`0.weight`, `0.bias`). */
  params: string[]
}

/** The groups `config` asks for: one with every Linear, or one per Linear. */
export function paramGroupLayout(config: Pick<LabConfig, 'dIn' | 'hidden' | 'dOut' | 'paramGroups'>): ParamGroupLayout[] {
  const layers = layerWidths(config)
    .slice(1)
    .map((_, i) => 2 * i) // Linear, activation, Linear, ...: the Linears sit at even indices
  const entry = (ls: number[]): ParamGroupLayout => ({ layers: ls, params: ls.flatMap((l) => [`${l}.weight`, `${l}.bias`]) })
  return config.paramGroups === 'per-layer' ? layers.map((l) => entry([l])) : [entry(layers)]
}

/** Each group's hyperparameters with every default filled in, as `param_groups[g]` holds them. */
export function resolvedGroupHyperparameters(
  config: Pick<LabConfig, 'dIn' | 'hidden' | 'dOut' | 'paramGroups' | 'groupHyper' | 'optimizer' | 'hyper'>
): Hyperparameters[] {
  return paramGroupLayout(config).map((_, g) => {
    const overrides = Object.fromEntries(Object.entries(config.groupHyper?.[g] ?? {}).filter(([, v]) => v !== undefined))
    return resolvedHyperparameters(config.optimizer, { ...config.hyper, ...overrides })
  })
}

// ---- learning-rate schedulers (torch.optim.lr_scheduler) ----

export const SCHEDULER_NAMES = [
  'StepLR',
  'MultiStepLR',
  'ExponentialLR',
  'CosineAnnealingLR',
  'LinearLR',
  'OneCycleLR',
  'ReduceLROnPlateau'
] as const
export type SchedulerName = (typeof SCHEDULER_NAMES)[number]

/** Every option of the supported schedulers, named as their constructors name them. */
export interface SchedulerOptions {
  /** StepLR: decay every `step_size` steps. */
  step_size?: number
  /** StepLR, MultiStepLR, ExponentialLR: the multiplicative decay. */
  gamma?: number
  /** MultiStepLR: the steps at which to decay (increasing). */
  milestones?: number[]
  /** CosineAnnealingLR: half a cosine period, in steps. */
  T_max?: number
  /** CosineAnnealingLR: the lowest lr. */
  eta_min?: number
  /** LinearLR: lr factor at step 0. */
  start_factor?: number
  /** LinearLR: lr factor from `total_iters` on. */
  end_factor?: number
  /** LinearLR: steps to go from `start_factor` to `end_factor`. */
  total_iters?: number
  /** OneCycleLR: the peak lr, one number or one per param group. */
  max_lr?: number | number[]
  /** OneCycleLR: length of the cycle; default the run's `steps`. */
  total_steps?: number
  pct_start?: number
  anneal_strategy?: 'cos' | 'linear'
  /** OneCycleLR: cycle SGD/RMSprop `momentum` or Adam-family `betas[0]` inversely to the lr. */
  cycle_momentum?: boolean
  base_momentum?: number
  max_momentum?: number
  div_factor?: number
  final_div_factor?: number
  three_phase?: boolean
  /** ReduceLROnPlateau (fed the step's loss): 'min' or 'max'. */
  mode?: 'min' | 'max'
  /** ReduceLROnPlateau: new_lr = lr * factor. */
  factor?: number
  patience?: number
  threshold?: number
  threshold_mode?: 'rel' | 'abs'
  cooldown?: number
  /** ReduceLROnPlateau: lower bound, one number or one per param group. */
  min_lr?: number | number[]
  /** ReduceLROnPlateau: smaller lr changes are ignored. */
  eps?: number
}
export type SchedulerOptionName = keyof SchedulerOptions

export interface SchedulerConfig {
  /** The class in `torch.optim.lr_scheduler`. */
  kind: SchedulerName
  /** Only options `kind` accepts; missing ones take PyTorch's defaults. */
  options: SchedulerOptions
}

export interface SchedulerSpec {
  /** Every option, in the constructor's signature order. */
  options: readonly SchedulerOptionName[]
  /** Options without a default (PyTorch's required arguments). */
  required: readonly SchedulerOptionName[]
  /** PyTorch 2.x defaults of the optional ones (`total_steps` defaults to the run's steps). */
  defaults: SchedulerOptions
}

export const SCHEDULER_SPECS: Record<SchedulerName, SchedulerSpec> = {
  StepLR: { options: ['step_size', 'gamma'], required: ['step_size'], defaults: { gamma: 0.1 } },
  MultiStepLR: { options: ['milestones', 'gamma'], required: ['milestones'], defaults: { gamma: 0.1 } },
  ExponentialLR: { options: ['gamma'], required: ['gamma'], defaults: {} },
  CosineAnnealingLR: { options: ['T_max', 'eta_min'], required: ['T_max'], defaults: { eta_min: 0 } },
  LinearLR: {
    options: ['start_factor', 'end_factor', 'total_iters'],
    required: [],
    defaults: { start_factor: 1 / 3, end_factor: 1, total_iters: 5 }
  },
  OneCycleLR: {
    options: [
      'max_lr', 'total_steps', 'pct_start', 'anneal_strategy', 'cycle_momentum', 'base_momentum', 'max_momentum',
      'div_factor', 'final_div_factor', 'three_phase'
    ],
    required: ['max_lr'],
    defaults: {
      pct_start: 0.3, anneal_strategy: 'cos', cycle_momentum: true, base_momentum: 0.85, max_momentum: 0.95,
      div_factor: 25, final_div_factor: 1e4, three_phase: false
    }
  },
  ReduceLROnPlateau: {
    options: ['mode', 'factor', 'patience', 'threshold', 'threshold_mode', 'cooldown', 'min_lr', 'eps'],
    required: [],
    defaults: { mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, threshold_mode: 'rel', cooldown: 0, min_lr: 0, eps: 1e-8 }
  }
}

/**
 * Keys a scheduler adds to each `param_groups` dict (`initial_lr` for every LRScheduler, the rest
 * for OneCycleLR): they appear in `optimizer.state_dict()` but are not optimizer hyperparameters.
 */
export const SCHEDULER_GROUP_KEYS: readonly string[] = ['initial_lr', 'max_lr', 'min_lr', 'max_momentum', 'base_momentum']

/** Options that PyTorch types as int (written without a decimal point in scripts). */
export const INTEGER_SCHEDULER_OPTIONS: readonly SchedulerOptionName[] = [
  'step_size', 'milestones', 'T_max', 'total_iters', 'total_steps', 'patience', 'cooldown'
]

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

/** Imported CSV data larger than this (x and y values together) is not written into settings. */
export const MAX_STORED_CSV_VALUES = 20_000

/**
 * `config` as settings and recent runs keep it: a large imported CSV is left out (the lesson's
 * randn takes its place; the student imports the file again), so settings stay small.
 */
export function configForStorage(config: LabConfig): LabConfig {
  const data = config.data
  if (data?.kind !== 'csv' || data.x.length + data.y.length <= MAX_STORED_CSV_VALUES) return config
  const { data: _data, loss: _loss, ...rest } = config
  return rest
}
