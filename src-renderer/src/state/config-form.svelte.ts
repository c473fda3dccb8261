/**
 * The experiment form: one reactive field per LabConfig entry, pre-filled with the tutorial's
 * settings, plus every hyperparameter of every optimizer pre-filled with PyTorch's defaults
 * (kept per optimizer, so switching back and forth keeps what the student typed).
 */
import {
  LESSON_CONFIG,
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_NAMES,
  hyperparametersOf,
  type ActivationName,
  type DType,
  type Hyperparameters,
  type LabConfig,
  type OptimizerName,
  type Reduction
} from '../../../src-main/shared/config'
import { checkHyperparameters } from '../../../src-main/shared/hyperparameter-check'
import { ConfigError, validateConfig } from '../../../src-main/shared/validate'

type HyperTable = Record<OptimizerName, Hyperparameters>

function defaultHyperparameters(): HyperTable {
  const table = {} as HyperTable
  for (const name of OPTIMIZER_NAMES) table[name] = structuredClone(OPTIMIZER_DEFAULTS[name])
  return table
}

export class ConfigForm {
  seed = $state(LESSON_CONFIG.seed)
  n = $state(LESSON_CONFIG.n)
  dIn = $state(LESSON_CONFIG.dIn)
  hidden = $state([...LESSON_CONFIG.hidden])
  dOut = $state(LESSON_CONFIG.dOut)
  activation = $state<ActivationName>(LESSON_CONFIG.activation)
  reduction = $state<Reduction>(LESSON_CONFIG.reduction)
  dtype = $state<DType>(LESSON_CONFIG.dtype)
  optimizer = $state<OptimizerName>(LESSON_CONFIG.optimizer)
  /** The lesson's lr (1e-4) for every optimizer, as the `lab` command does. */
  lr = $state(LESSON_CONFIG.hyper.lr)
  steps = $state(LESSON_CONFIG.steps)
  hyper = $state(defaultHyperparameters())

  /** Hyperparameters of the chosen optimizer other than lr, in PyTorch's signature order. */
  hyperNames = $derived(hyperparametersOf(this.optimizer).filter((name) => name !== 'lr'))

  /** A plain (cloneable) LabConfig built from the fields. */
  config: LabConfig = $derived.by(() => {
    const hyper = $state.snapshot(this.hyper[this.optimizer]) as Hyperparameters
    return {
      seed: this.seed,
      n: this.n,
      dIn: this.dIn,
      hidden: $state.snapshot(this.hidden),
      dOut: this.dOut,
      activation: this.activation,
      reduction: this.reduction,
      dtype: this.dtype,
      optimizer: this.optimizer,
      hyper: { ...hyper, lr: this.lr },
      steps: this.steps
    }
  })

  /** Why the form cannot start a run, or null. Value ranges are the optimizer's to judge. */
  error: string | null = $derived.by(() => checkConfig(this.config))

  addHiddenLayer(): void {
    this.hidden.push(this.hidden.at(-1) ?? LESSON_CONFIG.hidden[0])
  }

  removeHiddenLayer(index: number): void {
    this.hidden.splice(index, 1)
  }

  /** Fills the form from a configuration (the last one used, a recent run's, an imported file's). */
  apply(config: LabConfig): void {
    this.seed = config.seed
    this.n = config.n
    this.dIn = config.dIn
    this.hidden = [...config.hidden]
    this.dOut = config.dOut
    this.activation = config.activation
    this.reduction = config.reduction
    this.dtype = config.dtype
    this.optimizer = config.optimizer
    this.lr = config.hyper.lr
    this.steps = config.steps
    this.hyper[config.optimizer] = { ...structuredClone(OPTIMIZER_DEFAULTS[config.optimizer]), ...structuredClone(config.hyper) }
  }

  resetToLesson(): void {
    this.seed = LESSON_CONFIG.seed
    this.n = LESSON_CONFIG.n
    this.dIn = LESSON_CONFIG.dIn
    this.hidden = [...LESSON_CONFIG.hidden]
    this.dOut = LESSON_CONFIG.dOut
    this.activation = LESSON_CONFIG.activation
    this.reduction = LESSON_CONFIG.reduction
    this.dtype = LESSON_CONFIG.dtype
    this.optimizer = LESSON_CONFIG.optimizer
    this.lr = LESSON_CONFIG.hyper.lr
    this.steps = LESSON_CONFIG.steps
    this.hyper = defaultHyperparameters()
  }
}

/**
 * The shared schema's verdict (field and what is allowed), then PyTorch's on the hyperparameter
 * values ("Invalid learning rate: -1"): the same checks the engine host makes.
 */
function checkConfig(config: LabConfig): string | null {
  try {
    validateConfig(config)
  } catch (error) {
    if (error instanceof ConfigError) return `${error.field} ${error.message}`
    throw error
  }
  const problem = checkHyperparameters(config.optimizer, config.hyper as unknown as Record<string, unknown>)
  return problem ? problem.message : null
}
