import {
  paramGroupLayout,
  resolvedGroupHyperparameters,
  type Hyperparameters,
  type LabConfig
} from '../../shared/config'
import { createOptimizer, type AnyParamsInput } from '../optim'
import type { Optimizer } from '../optim/optimizer'
import { createScheduler, needsMetric, type LRScheduler } from '../optim/lr-scheduler'
import { Parameter, type Tensor } from '../tensor/tensor'

type SetupConfig = Pick<
  LabConfig,
  'dIn' | 'hidden' | 'dOut' | 'optimizer' | 'hyper' | 'paramGroups' | 'groupHyper' | 'scheduler' | 'steps'
>

/** The keys of `groupHyper[g]` that are set (undefined means "not given", as for `hyper`). */
function overridesOf(config: SetupConfig, g: number): Partial<Hyperparameters> {
  return Object.fromEntries(Object.entries(config.groupHyper?.[g] ?? {}).filter(([, v]) => v !== undefined))
}

/**
 * What the optimizer's constructor receives, as in the PyTorch script: `model.parameters()` for one
 * group without overrides, else the list of dicts `[{"params": [...], "lr": 1e-3}, {"params": [...]}]`.
 * `groupParams[g]` are group g's parameters (`paramGroupLayout(config)[g]`).
 */
export function optimizerParams(config: SetupConfig, groupParams: Tensor[][]): AnyParamsInput {
  const overrides = groupParams.map((_, g) => overridesOf(config, g))
  if (groupParams.length === 1 && Object.keys(overrides[0]).length === 0) return groupParams[0]
  return groupParams.map((params, g) => ({ params, ...overrides[g] }))
}

/**
 * The configured optimizer over `groupParams`. Each group's values are checked as the constructor
 * checks its defaults (PyTorch itself does not check group dicts; a lab should say "Invalid learning
 * rate: -1" for a group as well).
 */
export function buildOptimizer(config: SetupConfig, groupParams: Tensor[][]): Optimizer {
  const probe = (): Parameter[] => [new Parameter(new Float32Array(1), [1])]
  resolvedGroupHyperparameters(config).forEach((hyper, g) => {
    if (Object.keys(overridesOf(config, g)).length > 0) createOptimizer(config.optimizer, probe(), hyper)
  })
  return createOptimizer(config.optimizer, optimizerParams(config, groupParams), config.hyper)
}

/** The configured scheduler (stepped after each `optimizer.step()`), or null. */
export function buildScheduler(config: SetupConfig, optimizer: Optimizer): LRScheduler | null {
  return config.scheduler ? createScheduler(optimizer, config.scheduler, config.steps) : null
}

/** One `scheduler.step()` after `optimizer.step()`; ReduceLROnPlateau is fed the step's loss. */
export function stepScheduler(scheduler: LRScheduler | null, loss: number): void {
  if (scheduler === null) return
  if (needsMetric(scheduler)) scheduler.step(loss)
  else scheduler.step()
}

/**
 * The lr of every group at each of `steps` updates, without building the model: `result[t][g]` is
 * the lr update t uses (the loss at step t is measured just before it). For the UI's preview.
 * ReduceLROnPlateau depends on the losses: pass them as `metrics`; steps beyond the metrics given
 * leave it unstepped, so its preview is flat from there.
 * Throws what the optimizer or scheduler constructors throw (PyTorch's messages).
 */
export function previewLrs(config: SetupConfig, steps: number = config.steps, metrics?: readonly number[]): number[][] {
  const groups = paramGroupLayout(config).map(() => [new Parameter(new Float32Array(1), [1])])
  const optimizer = buildOptimizer(config, groups)
  const scheduler = buildScheduler(config, optimizer)
  const lrs: number[][] = []
  for (let t = 0; t < steps; t++) {
    lrs.push(optimizer.paramGroups.map((group) => group.lr))
    if (scheduler === null) continue
    if (!needsMetric(scheduler)) scheduler.step()
    else if (metrics !== undefined && t < metrics.length) scheduler.step(metrics[t])
  }
  return lrs
}
