/**
 * The optimizer-state microscope of one run: whole per-weight views of a parameter (θ, .grad, the
 * last update Δθ, the effective learning rate |Δθ|/|g|, every state tensor) and the algorithm box
 * of one weight for a real `step()`. Δθ needs θ_{t−1}, so every step first copies the parameters
 * into buffers kept for that (one copy of the weights, reused).
 */
import type { DType } from '../shared/config'
import type { StateView, UpdateTrace } from '../shared/protocol'
import { explainUpdate, type UpdateBox } from '../engine/optim/explain'
import type { TrainingSession } from '../engine/train/session'
import type { Tensor } from '../engine/tensor/tensor'
import type { Storage } from '../engine/tensor/dtype'

/** Views every parameter has, besides its optimizer's state tensors. */
export const BASE_VIEWS = ['param', 'grad', 'delta', 'effective_lr'] as const

/** A request the run cannot answer: Python's KeyError (no such parameter or view) or IndexError. */
export class MicroscopeError extends Error {
  constructor(name: 'KeyError' | 'IndexError', message: string) {
    super(message)
    this.name = name
  }
}

export class Microscope {
  /** θ before the last step, per parameter; filled by `beforeStep`. */
  private readonly previous = new Map<Tensor, Storage>()
  /** Whether `previous` holds θ_{t−1} of the current θ_t (a step has run since tracking began). */
  private tracked = false

  constructor(private readonly session: TrainingSession) {}

  /** Call right before each step: keeps θ_{t−1}. */
  beforeStep(): void {
    for (const [, p] of this.session.model.namedParameters()) {
      let copy = this.previous.get(p)
      if (copy === undefined || copy.length !== p.data.length || copy.constructor !== p.data.constructor) {
        copy = p.data.slice()
        this.previous.set(p, copy)
      } else copy.set(p.data)
    }
    this.tracked = true
  }

  /** The views `parameter` has right now: param, grad (once computed), Δθ and effective lr (after a step), state tensors. */
  viewsOf(name: string): string[] {
    const p = this.parameter(name)
    const views: string[] = ['param']
    if (p.grad !== null) views.push('grad')
    if (this.tracked && this.previous.has(p)) views.push('delta', ...(p.grad !== null ? ['effective_lr'] : []))
    for (const [key, t] of Object.entries(this.session.optimizer.state.get(p) ?? {})) if (t.ndim > 0) views.push(key)
    return views
  }

  view(name: string, view: string, step: number): StateView {
    const p = this.parameter(name)
    const views = this.viewsOf(name)
    if (!views.includes(view)) {
      throw new MicroscopeError('KeyError', `${name} has no view "${view}" now (its views are ${views.join(', ')})`)
    }
    const values = this.values(p, view)
    let min = Infinity
    let max = -Infinity
    for (let i = 0; i < values.length; i++) {
      const x = values[i]
      if (x < min) min = x
      if (x > max) max = x
    }
    const scalars: Record<string, number> = {}
    for (const [key, t] of Object.entries(this.session.optimizer.state.get(p) ?? {})) if (t.ndim === 0) scalars[key] = t.data[0]
    return {
      parameter: name,
      view,
      shape: [...p.shape],
      dtype: p.dtype,
      values,
      min: min === Infinity ? null : min,
      max: max === -Infinity ? null : max,
      step,
      views,
      scalars
    }
  }

  /**
   * Runs `step` (one zero_grad → forward → backward → step of the run) and returns the algorithm
   * box of weight `index` of `name` for it. The box is built from the values `optimizer.step()`
   * saw: θ, state and hyperparameters as they were before the step (forward, backward and
   * zero_grad do not touch them; a scheduler changes lr only after), and .grad as step() left it.
   */
  trace(name: string, index: number, step: () => { step: number; loss: number }): UpdateTrace {
    const p = this.parameter(name)
    if (index >= p.numel) {
      throw new MicroscopeError('IndexError', `index ${index} is out of bounds for ${name} with ${p.numel} elements`)
    }
    const { optimizer, config } = this.session
    const group = optimizer.paramGroups.find((g) => g.params.includes(p))
    if (group === undefined) throw new MicroscopeError('KeyError', `${name} is in no param group`)
    // Copied: a scheduler changes the group's lr after step().
    const hyper = Object.fromEntries(
      Object.entries(group).filter(([key]) => key !== 'params').map(([key, value]) => [key, Array.isArray(value) ? [...value] : value])
    )
    const before = this.stateAt(p, index)
    const paramBefore = p.data[index]
    const scalarDtypes: Record<string, DType> = {}
    for (const [key, t] of Object.entries(optimizer.state.get(p) ?? {})) if (t.ndim === 0) scalarDtypes[key] = t.dtype

    const result = step() // throws, as stepRun does, when the step fails
    if (p.grad === null) throw new MicroscopeError('KeyError', `${name}.grad is None: step() left it unchanged`)
    const grad = p.grad.data[index]
    const box: UpdateBox = explainUpdate(config.optimizer, {
      dtype: p.dtype, param: paramBefore, grad, state: before, scalarDtypes, group: hyper
    })
    const engineState = this.stateAt(p, index)
    const matches = Object.is(box.param, p.data[index]) &&
      Object.entries(box.state).every(([key, value]) => Object.is(value, engineState[key]))
    return {
      ...box,
      parameter: name,
      index,
      position: unravel(index, p.shape),
      step: result.step,
      loss: result.loss,
      before: { param: paramBefore, grad },
      engine: { param: p.data[index], state: engineState },
      matches
    }
  }

  private values(p: Tensor, view: string): Float32Array | Float64Array {
    if (view === 'param') return p.data.slice()
    if (view === 'grad') return p.grad!.data.slice()
    const previous = this.previous.get(p)!
    if (view === 'delta') {
      const out = new Float64Array(p.numel)
      for (let i = 0; i < out.length; i++) out[i] = p.data[i] - previous[i]
      return out
    }
    if (view === 'effective_lr') {
      // What plain SGD's lr would have been for this very move: |Δθ| / |g| (NaN where g = 0).
      const grad = p.grad!.data
      const out = new Float64Array(p.numel)
      for (let i = 0; i < out.length; i++) {
        const g = Math.abs(grad[i])
        out[i] = g === 0 ? NaN : Math.abs(p.data[i] - previous[i]) / g
      }
      return out
    }
    return this.session.optimizer.state.get(p)![view].data.slice()
  }

  /** `optimizer.state[p]` at one index: element-wise tensors there, 0-dim ones as they are. */
  private stateAt(p: Tensor, index: number): Record<string, number> {
    const values: Record<string, number> = {}
    for (const [key, t] of Object.entries(this.session.optimizer.state.get(p) ?? {})) values[key] = t.ndim === 0 ? t.data[0] : t.data[index]
    return values
  }

  private parameter(name: string): Tensor {
    const names: string[] = []
    for (const [key, p] of this.session.model.namedParameters()) {
      if (key === name) return p
      names.push(key)
    }
    throw new MicroscopeError('KeyError', `There is no parameter "${name}" (the parameters are ${names.join(', ')})`)
  }
}

/** Row-major flat index → [row, column] (or [i] for a bias). */
export function unravel(index: number, shape: readonly number[]): number[] {
  const position: number[] = []
  let rest = index
  for (let d = shape.length - 1; d >= 0; d--) {
    position[d] = rest % shape[d]
    rest = Math.floor(rest / shape[d])
  }
  return position
}
