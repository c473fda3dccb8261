import { ValueError, formatNumber, type Optimizer } from '../optimizer'
import { cos } from '../../numeric/cos'
import { LRScheduler, keywordArguments, perGroup } from './lr-scheduler'

export interface OneCycleLROptions {
  max_lr: number | readonly number[]
  total_steps: number
  pct_start: number
  anneal_strategy: 'cos' | 'linear'
  cycle_momentum: boolean
  base_momentum: number | readonly number[]
  max_momentum: number | readonly number[]
  div_factor: number
  final_div_factor: number
  three_phase: boolean
  last_epoch: number
}

type GroupKey = 'initial_lr' | 'max_lr' | 'min_lr' | 'max_momentum' | 'base_momentum'

interface SchedulePhase {
  end_step: number
  start_lr: GroupKey
  end_lr: GroupKey
  start_momentum: GroupKey
  end_momentum: GroupKey
}

/**
 * `OneCycleLR` (Smith & Topin, super-convergence, https://arxiv.org/abs/1708.07120), fastai's two
 * phases by default: the lr anneals from max_lr/div_factor up to max_lr over the first
 * `pct_start` of `total_steps`, then down to initial_lr/final_div_factor; momentum (SGD, RMSprop)
 * or β1 (Adam family) moves the opposite way, between `max_momentum` and `base_momentum`.
 *
 *   cos:     anneal(a, b, p) = b + (a − b)/2 · (cos(π p) + 1)
 *   linear:  anneal(a, b, p) = (b − a) · p + a
 *
 * with p the fraction of the current phase done. Not chainable: the lr ignores its old value.
 * Construction writes `initial_lr`, `max_lr`, `min_lr` (and `max_momentum`, `base_momentum`) into
 * every param group, as PyTorch does, and overrides the optimizer's lr and momentum/β1.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number
  readonly schedulePhases: SchedulePhase[]
  readonly annealStrategy: 'cos' | 'linear'
  readonly cycleMomentum: boolean
  /** Cycle `betas[0]` (the optimizer has betas) rather than `momentum`. */
  readonly useBeta1: boolean = false

  constructor(optimizer: Optimizer, options: Partial<OneCycleLROptions>) {
    super(optimizer)
    const o = keywordArguments<OneCycleLROptions>('OneCycleLR', options, ['max_lr'], {
      pct_start: 0.3, anneal_strategy: 'cos', cycle_momentum: true, base_momentum: 0.85, max_momentum: 0.95,
      div_factor: 25, final_div_factor: 1e4, three_phase: false, last_epoch: -1
    }, ['total_steps'])
    // Only total_steps is offered (PyTorch's epochs × steps_per_epoch is the same number).
    if (o.total_steps === undefined) throw new ValueError('You must define either total_steps OR (epochs AND steps_per_epoch)')
    if (!(Number.isInteger(o.total_steps) && o.total_steps > 0)) {
      throw new ValueError(`Expected positive integer total_steps, but got ${formatNumber(o.total_steps)}`)
    }
    this.totalSteps = o.total_steps
    const total = o.total_steps
    const pct = o.pct_start
    this.schedulePhases = o.three_phase
      ? [
          { end_step: pct * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: 2 * pct * total - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
          { end_step: total - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' }
        ]
      : [
          { end_step: pct * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: total - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' }
        ]
    if (!(pct >= 0 && pct <= 1)) throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${formatNumber(pct)}`)
    if (o.anneal_strategy !== 'cos' && o.anneal_strategy !== 'linear') {
      throw new ValueError(`anneal_strategy must be one of 'cos' or 'linear', instead got ${String(o.anneal_strategy)}`)
    }
    this.annealStrategy = o.anneal_strategy

    const groups = this.groups()
    const maxLrs = perGroup('max_lr', optimizer, o.max_lr)
    if (o.last_epoch === -1) {
      groups.forEach((group, i) => {
        group.initial_lr = maxLrs[i] / o.div_factor
        group.max_lr = maxLrs[i]
        group.min_lr = (group.initial_lr as number) / o.final_div_factor
      })
    }

    this.cycleMomentum = o.cycle_momentum
    if (this.cycleMomentum) {
      const defaults = optimizer.defaults as Record<string, unknown>
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new ValueError('optimizer must support momentum or beta1 with `cycle_momentum` option enabled')
      }
      this.useBeta1 = 'betas' in defaults
      const maxMomentums = perGroup('max_momentum', optimizer, o.max_momentum)
      const baseMomentums = perGroup('base_momentum', optimizer, o.base_momentum)
      if (o.last_epoch === -1) {
        groups.forEach((group, i) => {
          this.setMomentum(group, maxMomentums[i])
          group.max_momentum = maxMomentums[i]
          group.base_momentum = baseMomentums[i]
        })
      }
    }
    this.start(o.last_epoch)
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'cos') return end + ((start - end) / 2) * (cos(Math.PI * pct) + 1)
    return (end - start) * pct + start
  }

  private setMomentum(group: Record<string, unknown>, momentum: number): void {
    if (this.useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)]
    else group.momentum = momentum
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch
    if (stepNum > this.totalSteps) {
      throw new ValueError(`Tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}`)
    }
    return this.groups().map((group) => {
      const value = (key: GroupKey): number => group[key] as number
      let startStep = 0
      for (let i = 0; i < this.schedulePhases.length; i++) {
        const phase = this.schedulePhases[i]
        const endStep = phase.end_step
        if (stepNum <= endStep || i === this.schedulePhases.length - 1) {
          if (endStep === startStep) throw new Error('ZeroDivisionError: float division by zero')
          const pct = (stepNum - startStep) / (endStep - startStep)
          if (this.cycleMomentum) this.setMomentum(group, this.anneal(value(phase.start_momentum), value(phase.end_momentum), pct))
          return this.anneal(value(phase.start_lr), value(phase.end_lr), pct)
        }
        startStep = endStep
      }
      throw new Error('unreachable: the last phase always applies')
    })
  }

  protected options(): Record<string, unknown> {
    return {
      total_steps: this.totalSteps,
      _schedule_phases: this.schedulePhases.map((phase) => ({ ...phase })),
      _anneal_func_type: this.annealStrategy,
      cycle_momentum: this.cycleMomentum,
      ...(this.cycleMomentum ? { use_beta1: this.useBeta1 } : {})
    }
  }

  protected loadOptions(state: Record<string, unknown>): void {
    Object.assign(this, {
      totalSteps: state.total_steps,
      schedulePhases: (state._schedule_phases as SchedulePhase[]).map((phase) => ({ ...phase })),
      annealStrategy: state._anneal_func_type,
      cycleMomentum: state.cycle_momentum,
      useBeta1: state.use_beta1 ?? false
    })
  }
}
