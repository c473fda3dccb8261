import { ValueError, type Optimizer } from '../optimizer'
import { LRScheduler, keywordArguments } from './lr-scheduler'

export interface ReduceLROnPlateauOptions {
  mode: 'min' | 'max'
  factor: number
  patience: number
  threshold: number
  threshold_mode: 'rel' | 'abs'
  cooldown: number
  min_lr: number | readonly number[]
  eps: number
}

/**
 * `ReduceLROnPlateau`: feed it a metric each step (`step(loss)`); when the metric has not improved
 * for more than `patience` steps, lr ← max(lr · factor, min_lr), then wait `cooldown` steps.
 * "Improved" means below best·(1 − threshold) in `min`/`rel` mode (best − threshold in `abs`;
 * mirrored for `max`). A reduction smaller than `eps` is skipped.
 *
 * Like PyTorch's, it does not run `LRScheduler.__init__`: no initial step, no `initial_lr`.
 */
export class ReduceLROnPlateau extends LRScheduler {
  readonly factor: number
  readonly mode: 'min' | 'max'
  readonly threshold: number
  readonly thresholdMode: 'rel' | 'abs'
  readonly patience: number
  readonly cooldown: number
  readonly eps: number
  /** `default_min_lr`: the scalar min_lr, or null when one was given per group. */
  readonly defaultMinLr: number | null
  minLrs: number[]
  best = Infinity
  numBadEpochs = 0
  cooldownCounter = 0

  constructor(optimizer: Optimizer, options: Partial<ReduceLROnPlateauOptions> = {}) {
    super(optimizer)
    const o = keywordArguments<ReduceLROnPlateauOptions>('ReduceLROnPlateau', options, [], {
      mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, threshold_mode: 'rel', cooldown: 0, min_lr: 0, eps: 1e-8
    })
    if (o.factor >= 1) throw new ValueError('Factor should be < 1.0.')
    this.factor = o.factor
    const groups = optimizer.paramGroups.length
    if (Array.isArray(o.min_lr)) {
      if (o.min_lr.length !== groups) throw new ValueError(`expected ${groups} min_lrs, got ${o.min_lr.length}`)
      this.defaultMinLr = null
      this.minLrs = [...o.min_lr]
    } else {
      this.defaultMinLr = o.min_lr as number
      this.minLrs = Array.from({ length: groups }, () => o.min_lr as number)
    }
    this.patience = o.patience
    this.cooldown = o.cooldown
    this.eps = o.eps
    this.lastEpoch = 0
    this.lastLr = this.currentLrs()
    if (o.mode !== 'min' && o.mode !== 'max') throw new ValueError(`mode ${String(o.mode)} is unknown!`)
    if (o.threshold_mode !== 'rel' && o.threshold_mode !== 'abs') {
      throw new ValueError(`threshold mode ${String(o.threshold_mode)} is unknown!`)
    }
    this.mode = o.mode
    this.threshold = o.threshold
    this.thresholdMode = o.threshold_mode
    this.reset()
  }

  /** The worst value for the mode: every first metric improves on it. */
  get modeWorse(): number {
    return this.mode === 'min' ? Infinity : -Infinity
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0
  }

  private reset(): void {
    this.best = this.modeWorse
    this.cooldownCounter = 0
    this.numBadEpochs = 0
  }

  /** One step, after `optimizer.step()`, with this step's metric (our runs pass the loss). */
  override step(metrics?: number): void {
    if (metrics === undefined) throw new TypeError("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'")
    const current = Number(metrics)
    this.lastEpoch += 1
    if (this.isBetter(current, this.best)) {
      this.best = current
      this.numBadEpochs = 0
    } else {
      this.numBadEpochs += 1
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1
      this.numBadEpochs = 0 // ignore any bad epochs in cooldown
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr()
      this.cooldownCounter = this.cooldown
      this.numBadEpochs = 0
    }
    this.lastLr = this.currentLrs()
  }

  private reduceLr(): void {
    const groups = this.optimizer.paramGroups
    if (groups.length !== this.minLrs.length) {
      if (this.defaultMinLr === null) {
        throw new Error(
          `The number of param groups in the \`optimizer\` (${groups.length}) differs from when \`ReduceLROnPlateau\` was initialized (${this.minLrs.length}), usually due to a new param group being added to the optimizer. Please modify the \`min_lrs\` field to match the length of the \`optimizer\` param groups.`
        )
      }
      this.minLrs = groups.map(() => this.defaultMinLr as number)
    }
    groups.forEach((group, i) => {
      const oldLr = group.lr
      const reduced = oldLr * this.factor
      const newLr = this.minLrs[i] > reduced ? this.minLrs[i] : reduced // Python's max(reduced, min_lr)
      if (oldLr - newLr > this.eps) group.lr = newLr
    })
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold)
    if (this.mode === 'min') return a < best - this.threshold
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1)
    return a > best + this.threshold
  }

  protected getLr(): number[] {
    return this.currentLrs()
  }

  protected options(): Record<string, unknown> {
    return {
      factor: this.factor,
      default_min_lr: this.defaultMinLr,
      min_lrs: [...this.minLrs],
      patience: this.patience,
      cooldown: this.cooldown,
      eps: this.eps
    }
  }

  override stateDict(): Record<string, unknown> {
    return {
      ...this.options(),
      last_epoch: this.lastEpoch,
      _last_lr: [...this.lastLr],
      mode_worse: this.modeWorse,
      mode: this.mode,
      threshold: this.threshold,
      threshold_mode: this.thresholdMode,
      best: this.best,
      cooldown_counter: this.cooldownCounter,
      num_bad_epochs: this.numBadEpochs
    }
  }

  override loadStateDict(state: Record<string, unknown>): void {
    this.loadOptions(state)
    this.lastEpoch = state.last_epoch as number
    this.lastLr = [...(state._last_lr as number[])]
  }

  protected loadOptions(state: Record<string, unknown>): void {
    Object.assign(this, {
      factor: state.factor, defaultMinLr: state.default_min_lr, minLrs: [...(state.min_lrs as number[])],
      patience: state.patience, cooldown: state.cooldown, eps: state.eps, mode: state.mode, threshold: state.threshold,
      thresholdMode: state.threshold_mode, best: state.best, cooldownCounter: state.cooldown_counter,
      numBadEpochs: state.num_bad_epochs
    })
  }
}
