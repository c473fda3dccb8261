import { Optimizer, ValueError, formatNumber, type ParamGroup } from '../optimizer'

/**
 * `torch.optim.lr_scheduler.LRScheduler` (PyTorch 2.x): owns `lastEpoch`, `baseLrs` and the step
 * bookkeeping; each schedule implements `getLr()`, the *chainable* formula PyTorch's `step()` uses
 * (it reads the groups' current lr). Every value is a double computed in PyTorch's order, so the
 * sequence matches Python's floats.
 *
 * - Construction performs the initial step (`last_epoch` −1 → 0), which may already change the lr
 *   (LinearLR, OneCycleLR); `param_groups[g]["initial_lr"]` is set unless present.
 * - `step()` belongs after `optimizer.step()`; it writes `optimizer.paramGroups[g].lr` in place, so
 *   the next `optimizer.step()` reads the new value.
 *
 * TypeScript runs a base constructor before a subclass can set its fields, so subclasses call
 * `start(lastEpoch)` (the rest of Python's `LRScheduler.__init__`) at the end of theirs.
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer
  /** `base_lrs`: each group's `initial_lr`. */
  baseLrs: number[] = []
  /** `last_epoch`: steps taken; 0 right after construction. */
  lastEpoch = -1
  /** `_step_count`: calls of `step()`, the initial one included. */
  protected stepCount = 0
  /** True while the constructor's initial step runs (`_is_initial`). */
  protected isInitial = false
  protected lastLr: number[] = []

  constructor(optimizer: Optimizer) {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${(optimizer as object)?.constructor?.name ?? typeof optimizer} is not an Optimizer`)
    }
    this.optimizer = optimizer
  }

  /** The rest of `LRScheduler.__init__`: `initial_lr`, `base_lrs`, `last_epoch`, the initial step. */
  protected start(lastEpoch: number): void {
    const groups = this.groups()
    groups.forEach((group, i) => {
      if (lastEpoch === -1) {
        if (!('initial_lr' in group)) group.initial_lr = group.lr
      } else if (!('initial_lr' in group)) {
        throw new Error(
          `KeyError: param 'initial_lr' is not specified in param_groups[${i}] when resuming scheduler with last_epoch >= 0.`
        )
      }
    })
    this.baseLrs = groups.map((group) => group.initial_lr as number)
    this.lastEpoch = lastEpoch
    this.stepCount = 0
    this.isInitial = true
    try {
      this.step()
    } finally {
      this.isInitial = false
    }
  }

  /** The next lr of every group; called by `step()` after `lastEpoch` has advanced. */
  protected abstract getLr(): number[]

  /** Advance one step and write the new lrs into the optimizer's groups. */
  step(_metrics?: number): void {
    this.stepCount++
    this.lastEpoch++
    const values = this.getLr()
    const groups = this.optimizer.paramGroups
    if (values.length !== groups.length) throw new ValueError('zip() argument 2 is shorter than argument 1')
    groups.forEach((group, i) => (group.lr = values[i]))
    this.lastLr = groups.map((group) => group.lr)
  }

  /** `get_last_lr()`: the lrs the last `step()` set, one per group (a copy). */
  getLastLr(): number[] {
    return [...this.lastLr]
  }

  /** The schedule's own options under PyTorch's attribute names, in its `__dict__` order. */
  protected abstract options(): Record<string, unknown>

  /** Restores the options `options()` reports. */
  protected abstract loadOptions(state: Record<string, unknown>): void

  /** `state_dict()`: PyTorch's `__dict__` without the optimizer. */
  stateDict(): Record<string, unknown> {
    return {
      ...this.options(),
      base_lrs: [...this.baseLrs],
      last_epoch: this.lastEpoch,
      _step_count: this.stepCount,
      _is_initial: this.isInitial,
      _get_lr_called_within_step: false,
      _last_lr: [...this.lastLr]
    }
  }

  /** `load_state_dict(sd)`: takes back what `stateDict()` gave. */
  loadStateDict(state: Record<string, unknown>): void {
    this.loadOptions(state)
    this.baseLrs = [...(state.base_lrs as number[])]
    this.lastEpoch = state.last_epoch as number
    this.stepCount = state._step_count as number
    this.lastLr = [...(state._last_lr as number[])]
  }

  /** The optimizer's groups as the dicts they are in PyTorch (schedules add keys to them). */
  protected groups(): (ParamGroup & Record<string, unknown>)[] {
    return this.optimizer.paramGroups
  }

  /** The groups' current lrs (`_param_groups_val_list(optimizer, "lr")`). */
  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr)
  }
}

/**
 * Keyword arguments checked as Python checks them: an unknown one is a TypeError, a missing
 * required one too. `optional` lists those without a default. Returns the options with defaults filled in.
 */
export function keywordArguments<T extends object>(
  className: string,
  given: Partial<T>,
  required: readonly (keyof T & string)[],
  defaults: Partial<T>,
  optional: readonly (keyof T & string)[] = []
): T {
  const known = new Set<string>([...required, ...optional, ...Object.keys(defaults), 'last_epoch'])
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw new TypeError(`${className}.__init__() got an unexpected keyword argument '${key}'`)
  }
  const missing = required.filter((key) => given[key] === undefined)
  if (missing.length) {
    const names = missing.map((m) => `'${m}'`).join(' and ')
    throw new TypeError(
      `${className}.__init__() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${names}`
    )
  }
  const resolved: Record<string, unknown> = { ...defaults }
  for (const [key, value] of Object.entries(given)) if (value !== undefined) resolved[key] = value
  return resolved as T
}

/** Our own check where PyTorch has none and would fail later (e.g. a modulo by zero). */
export function requirePositiveInteger(name: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    throw new ValueError(`${name} must be a positive integer, got ${formatNumber(value)}`)
  }
}

/** `_format_param`: one value per group, from a number or a list of them. */
export function perGroup(name: string, optimizer: Optimizer, value: number | readonly number[]): number[] {
  const groups = optimizer.paramGroups.length
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw new ValueError(
        `${name} must have the same length as optimizer.param_groups. ${name} has ${value.length} values, param_groups has ${groups}.`
      )
    }
    return [...value]
  }
  return Array.from({ length: groups }, () => value as number)
}
