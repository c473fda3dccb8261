/**
 * reduction="sum" vs "mean": how much larger "sum"'s gradients are, and which hyperparameters give
 * the same training after switching. Pure arithmetic over a LabConfig; the explainer shows it and
 * tests/renderer/reduction-equivalence.test.ts checks the claims with the engine.
 */
import { lossOf, type LabConfig, type OptimizerName, type Reduction } from '../../../src-main/shared/config'

/**
 * How the update responds when every gradient is multiplied by c:
 * - `linear`: SGD (momentum, dampening and Nesterov included) moves c times as far, so lr ÷ c undoes it;
 * - `normalized`: the step is divided by a running size of the gradient (√v, max|g|, √Σg²), so c
 *   cancels except where eps is added to that size (scaling eps by c would make it exact);
 * - `adadelta`: like `normalized`, but eps also sits in the numerator's root, so c cancels only while g² ≫ eps;
 * - `radam`: normalized once the variance rectification starts (ρ_t > 5); the first few updates
 *   are lr·m̂, which scale with c.
 */
export type ScaleBehaviour = 'linear' | 'normalized' | 'adadelta' | 'radam'

export function scaleBehaviour(optimizer: OptimizerName): ScaleBehaviour {
  if (optimizer === 'SGD') return 'linear'
  if (optimizer === 'Adadelta') return 'adadelta'
  if (optimizer === 'RAdam') return 'radam'
  return 'normalized'
}

/**
 * grad("sum") = factor × grad("mean"): MSELoss's mean divides by every element of y, N·D_out;
 * CrossEntropyLoss's (class targets) by the N samples only.
 */
export function reductionFactor(config: Pick<LabConfig, 'n' | 'dOut' | 'loss'>): { factor: number; expression: 'N·D_out' | 'N' } {
  return lossOf(config) === 'cross_entropy' ? { factor: config.n, expression: 'N' } : { factor: config.n * config.dOut, expression: 'N·D_out' }
}

/** A value as the form should show it: x·c without the binary tail (6.4e-4, not 0.0006399999999999999). */
function clean(value: number): number {
  return Number(value.toPrecision(12))
}

export interface ReductionSwitch {
  reduction: Reduction
  /** Gradients after the switch are `scale` times the current ones (1/factor to "mean", factor to "sum"). */
  scale: number
  lr: number
  /**
   * Set when the optimizer adds weight_decay·p to the gradient (all but AdamW) and it is not 0: the
   * decay has to follow the gradient's scale to keep the same balance.
   */
  weightDecay?: number
}

/** The other reduction, with the lr (and coupled weight_decay) that give the same updates. */
export function equivalentSwitch(config: Pick<LabConfig, 'n' | 'dOut' | 'loss' | 'reduction' | 'optimizer' | 'hyper'>): ReductionSwitch {
  const { factor } = reductionFactor(config)
  const reduction: Reduction = config.reduction === 'sum' ? 'mean' : 'sum'
  const scale = reduction === 'mean' ? 1 / factor : factor
  const lr = scaleBehaviour(config.optimizer) === 'linear' ? clean(config.hyper.lr / scale) : config.hyper.lr
  const result: ReductionSwitch = { reduction, scale, lr }
  const decay = config.hyper.weight_decay ?? 0
  // AdamW decays p directly (lr·wd·p), independent of the gradient; everyone else adds wd·p to it.
  if (decay !== 0 && config.optimizer !== 'AdamW') result.weightDecay = clean(decay * scale)
  return result
}
