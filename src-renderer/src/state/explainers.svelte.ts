/**
 * The explainers' state for the current configuration: reduction="sum" vs "mean" (the gradient
 * scale, and the switch that keeps the training the same) and zero_grad() (what p.grad is after it,
 * and |p.grad| across the current run's steps).
 */
import { layerWidths, zeroGradOf, type LabConfig, type ZeroGradMode } from '../../../src-main/shared/config'
import { equivalentSwitch, reductionFactor, scaleBehaviour } from '../lib/reduction-equivalence'
import type { Lab } from './lab.svelte'
import type { GradientRecord } from './run.svelte'

/** What `p.grad` holds right after this step's zero_grad() (before backward()). */
export type AfterZeroGrad = 'none' | 'zeros' | 'kept'

export interface ParameterRow {
  name: string
  shape: number[]
}

/** `model.named_parameters()` of the configuration's Sequential, without building it. */
export function parameterRows(config: Pick<LabConfig, 'dIn' | 'hidden' | 'dOut'>): ParameterRow[] {
  const widths = layerWidths(config)
  return widths.slice(1).flatMap((out, l) => [
    { name: `${2 * l}.weight`, shape: [out, widths[l]] },
    { name: `${2 * l}.bias`, shape: [out] }
  ])
}

/** The first parameter's |grad| rose at every recorded step: the accumulation the 'skip' mode shows. */
export function gradientGrowth(records: readonly GradientRecord[]): { name: string; first: number; last: number; ratio: number } | null {
  if (records.length < 2) return null
  const norms = records.map((r) => r.norms[0])
  if (norms.some((n) => n === null)) return null
  const values = norms as number[]
  for (let i = 1; i < values.length; i++) if (!(values[i] > values[i - 1])) return null
  return { name: records[0].names[0], first: values[0], last: values.at(-1)!, ratio: values.at(-1)! / values[0] }
}

export class Explainers {
  constructor(readonly lab: Lab) {}

  /** N·D_out (or N), the switch to the other reduction, and how the chosen optimizer reacts. */
  get sumMean() {
    const config = this.lab.form.config
    return {
      ...reductionFactor(config),
      n: config.n,
      dOut: config.dOut,
      optimizer: config.optimizer,
      reduction: config.reduction,
      behaviour: scaleBehaviour(config.optimizer),
      eps: config.hyper.eps,
      target: equivalentSwitch(config)
    }
  }

  /** The form cannot change while a run is active (the Experiment panel is locked then too). */
  get canSwitch(): boolean {
    return !this.lab.current?.active
  }

  /** Switches the reduction and sets the lr (and a coupled weight_decay) that keep the same updates. */
  switchReduction(): void {
    if (!this.canSwitch) return
    const { target, optimizer } = this.sumMean
    const form = this.lab.form
    form.reduction = target.reduction
    form.lr = target.lr
    if (target.weightDecay !== undefined) form.hyper[optimizer].weight_decay = target.weightDecay
  }

  /** The configuration the table describes: the current run's (its gradients are shown), else the form's. */
  get #config(): LabConfig {
    return this.lab.current?.config ?? this.lab.form.config
  }

  get zeroGradMode(): ZeroGradMode {
    return zeroGradOf(this.#config)
  }

  get afterZeroGrad(): AfterZeroGrad {
    const mode = this.zeroGradMode
    return mode === 'set_to_none' ? 'none' : mode === 'zeros' ? 'zeros' : 'kept'
  }

  get parameters(): ParameterRow[] {
    return parameterRows(this.#config)
  }

  get gradients(): readonly GradientRecord[] {
    return this.lab.current?.gradients ?? []
  }

  get growth(): ReturnType<typeof gradientGrowth> {
    return gradientGrowth(this.gradients)
  }
}
