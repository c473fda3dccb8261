import type { SchedulerConfig, SchedulerName } from '../../../shared/config'
import type { Optimizer } from '../optimizer'
import type { LRScheduler } from './lr-scheduler'
import { StepLR } from './step-lr'
import { MultiStepLR } from './multi-step-lr'
import { ExponentialLR } from './exponential-lr'
import { CosineAnnealingLR } from './cosine-annealing-lr'
import { LinearLR } from './linear-lr'
import { OneCycleLR } from './one-cycle-lr'
import { ReduceLROnPlateau } from './reduce-lr-on-plateau'

export * from './lr-scheduler'
export * from './step-lr'
export * from './multi-step-lr'
export * from './exponential-lr'
export * from './cosine-annealing-lr'
export * from './linear-lr'
export * from './one-cycle-lr'
export * from './reduce-lr-on-plateau'

type Options = Record<string, unknown>

const constructors: Record<SchedulerName, (optimizer: Optimizer, options: Options) => LRScheduler> = {
  StepLR: (o, options) => new StepLR(o, options),
  MultiStepLR: (o, options) => new MultiStepLR(o, options),
  ExponentialLR: (o, options) => new ExponentialLR(o, options),
  CosineAnnealingLR: (o, options) => new CosineAnnealingLR(o, options),
  LinearLR: (o, options) => new LinearLR(o, options),
  OneCycleLR: (o, options) => new OneCycleLR(o, options),
  ReduceLROnPlateau: (o, options) => new ReduceLROnPlateau(o, options)
}

/**
 * `getattr(torch.optim.lr_scheduler, kind)(optimizer, **options)`. OneCycleLR's `total_steps`
 * defaults to `runSteps`, the length of the run it schedules.
 */
export function createScheduler(optimizer: Optimizer, config: SchedulerConfig, runSteps: number): LRScheduler {
  const create = constructors[config.kind]
  if (create === undefined) throw new TypeError(`unknown scheduler '${config.kind}'`)
  const options: Options = { ...config.options }
  if (config.kind === 'OneCycleLR' && options.total_steps === undefined) options.total_steps = runSteps
  return create(optimizer, options)
}

/** Whether `step()` needs the step's metric (ReduceLROnPlateau is fed the loss). */
export function needsMetric(scheduler: LRScheduler): scheduler is ReduceLROnPlateau {
  return scheduler instanceof ReduceLROnPlateau
}
