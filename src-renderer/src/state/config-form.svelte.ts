/**
 * The experiment form: one reactive field per LabConfig entry, pre-filled with the tutorial's
 * settings, plus every hyperparameter of every optimizer pre-filled with PyTorch's defaults
 * (kept per optimizer, so switching back and forth keeps what the student typed).
 */
import {
  LESSON_CONFIG,
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_NAMES,
  SCHEDULER_SPECS,
  SYNTHETIC_DEFAULTS,
  hyperparametersOf,
  zeroGradOf,
  type ActivationName,
  type DataKind,
  type DType,
  type Hyperparameters,
  type LabConfig,
  type OptimizerName,
  type Reduction,
  type ZeroGradMode
} from '../../../src-main/shared/config'
import { checkHyperparameters } from '../../../src-main/shared/hyperparameter-check'
import { ConfigError, validateConfig } from '../../../src-main/shared/validate'
import { buildOptimizer, buildScheduler } from '../../../src-main/engine/train/optimizer-setup'
import { Parameter } from '../../../src-main/engine/tensor/tensor'
import type { CsvDataset } from '../lib/csv-import'
import { DataChoice } from './data-choice.svelte'
import { TrainingChoice } from './training-choice.svelte'

type HyperTable = Record<OptimizerName, Hyperparameters>

function defaultHyperparameters(): HyperTable {
  const table = {} as HyperTable
  for (const name of OPTIMIZER_NAMES) table[name] = structuredClone(OPTIMIZER_DEFAULTS[name])
  return table
}

export class ConfigForm {
  /** The dataset and the loss that goes with it (the lesson's randn + MSELoss by default). */
  readonly data = new DataChoice()
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
  /** What each step does before backward(); the default is PyTorch 2.x's `optimizer.zero_grad()`. */
  zeroGrad = $state<ZeroGradMode>('set_to_none')
  /** Param groups (one, or one per layer, with per-group options) and the lr scheduler. */
  readonly training = new TrainingChoice(this)

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
      steps: this.steps,
      ...this.data.part,
      ...this.training.part,
      // Only when it differs from the default, so the lesson's config (and preset keys) stay as they were.
      ...(this.zeroGrad === 'set_to_none' ? {} : { zeroGrad: this.zeroGrad })
    }
  })

  /** Why the form cannot start a run, and the field concerned, or null. Value ranges are the optimizer's to judge. */
  problem: FormProblem | null = $derived.by(() => checkConfig(this.config))
  error: string | null = $derived(this.problem?.message ?? null)

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
    this.zeroGrad = zeroGradOf(config)
    this.training.apply(config)
    this.hyper[config.optimizer] = { ...structuredClone(OPTIMIZER_DEFAULTS[config.optimizer]), ...structuredClone(config.hyper) }
    this.data.apply(config)
  }

  /**
   * Trains on `kind` from now on, with sizes that fit it: a synthetic 2-D set gets D_in = 2,
   * D_out = its classes, one hidden layer of 16, reduction "mean", lr 0.01 and 300 steps (the
   * lesson's 1e-4 would barely move it); the lesson's randn gets the lesson's sizes back.
   */
  useData(kind: DataKind): void {
    this.data.kind = kind
    if (kind === 'randn') {
      this.n = LESSON_CONFIG.n
      this.dIn = LESSON_CONFIG.dIn
      this.dOut = LESSON_CONFIG.dOut
      this.reduction = LESSON_CONFIG.reduction
      this.hidden = [...LESSON_CONFIG.hidden]
      this.lr = LESSON_CONFIG.hyper.lr
      this.steps = LESSON_CONFIG.steps
      return
    }
    if (kind === 'csv') {
      if (this.data.csv) this.useCsv(this.data.csv)
      return
    }
    this.n = SYNTHETIC_DEFAULTS[kind].n
    this.dIn = 2
    this.dOut = this.data.classes ?? 2
    this.#classificationDefaults()
  }

  /** Trains on an imported CSV: N, D_in and D_out follow its shape. */
  useCsv(dataset: CsvDataset): void {
    this.data.csv = dataset
    this.data.kind = 'csv'
    this.n = dataset.n
    this.dIn = dataset.dIn
    this.dOut = dataset.dOut
    this.#classificationDefaults()
  }

  /** Spiral arms; D_out follows. */
  setSpiralClasses(classes: number): void {
    this.data.spiralClasses = classes
    if (this.data.kind === 'spiral') this.dOut = classes
  }

  #classificationDefaults(): void {
    this.hidden = [16]
    this.reduction = 'mean'
    this.lr = 0.01
    this.steps = 300
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
    this.zeroGrad = 'set_to_none'
    this.training.reset()
    this.data.kind = 'randn'
  }
}

/** What stops a run: the field (the CLI's / PyTorch's name, `group_lr`, `step_size`) and the message shown. */
export interface FormProblem {
  field: string
  message: string
}

/**
 * The shared schema's verdict (field and what is allowed), then PyTorch's on the hyperparameter
 * values ("Invalid learning rate: -1"), then the optimizer built over its groups and the scheduler
 * over it, on stand-in parameters: the same checks the engine host makes, with PyTorch's messages.
 */
function checkConfig(config: LabConfig): FormProblem | null {
  try {
    validateConfig(config)
  } catch (error) {
    if (error instanceof ConfigError) return { field: error.field, message: `${error.field} ${error.message}` }
    throw error
  }
  const problem = checkHyperparameters(config.optimizer, config.hyper as unknown as Record<string, unknown>)
  if (problem) return { field: 'hyper', message: problem.message }
  const stage = (field: string, build: () => void): FormProblem | null => {
    try {
      build()
      return null
    } catch (error) {
      return { field, message: error instanceof Error ? error.message : String(error) }
    }
  }
  const groups = TrainingChoice.groupCount(config)
  let optimizer: ReturnType<typeof buildOptimizer> | undefined
  const probe = (): Parameter[][] => Array.from({ length: groups }, () => [new Parameter(new Float32Array(1), [1])])
  const groupProblem = stage('group_hyper', () => void (optimizer = buildOptimizer(config, probe())))
  if (groupProblem) return groupProblem
  const scheduled = stage('scheduler', () => void buildScheduler(config, optimizer!))
  if (!scheduled || !config.scheduler) return scheduled
  // The constructor's message names the option it refused ("step_size must be a positive integer").
  const option = SCHEDULER_SPECS[config.scheduler.kind].options.find((name) => new RegExp(`\\b${name}\\b`).test(scheduled.message))
  return { field: option ?? 'scheduler', message: scheduled.message }
}
