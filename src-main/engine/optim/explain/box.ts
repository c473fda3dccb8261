import type { DType } from '../../tensor/dtype'
import * as pointwise from '../pointwise'

/**
 * The pieces every algorithm box is made of. A box follows the `torch.optim` documentation's
 * pseudocode line by line, for one weight, and fills each line with the number PyTorch's
 * single-tensor path computes for it at this step. The arithmetic below is the kernels' own
 * (pointwise.ts, the same roundings in the same order), so the box's θ_t is the engine's θ_t.
 */

/** One line of the box: `symbol ← formula`, and its value for this weight at this step. */
export interface BoxLine {
  /** Left-hand side in the docs' notation, e.g. `m_t`. */
  symbol: string
  /** Right-hand side in the docs' notation, e.g. `β1·m_{t−1} + (1 − β1)·g_t`. */
  formula: string
  value: number
  /** The branch that put this line in the box (`λ ≠ 0`, `amsgrad`, `t > 1`, ...); absent if always taken. */
  condition?: string
  /** The state tensor (or 0-dim state) this line writes, e.g. `exp_avg`. */
  stateKey?: string
  /**
   * How the engine (like PyTorch's kernel) evaluates the line when the order differs from the
   * docs' formula; float32 rounds after each operation, so the order decides the last bit.
   */
  computedAs?: string
  /** Shown for reading only: the kernel folds this quantity into another line and never stores it. */
  explanatory?: boolean
}

/** One hyperparameter in the box's `input` line: γ (lr) = 0.001. */
export interface BoxInput {
  symbol: string
  /** The `param_groups` key, e.g. `lr`. */
  name: string
  value: number | boolean
}

/** What a box needs: the values *before* `step()` for one weight, and its group's hyperparameters. */
export interface ExplainInput {
  dtype: DType
  /** θ_{t−1} at this index. */
  param: number
  /** `.grad` at this index, as `step()` reads it. */
  grad: number
  /**
   * `optimizer.state[p]` before the step: element-wise tensors at this index and 0-dim entries
   * (`step`, `mu_product`). A key missing here is created by the step (lazy init, PyTorch's values).
   */
  state: Readonly<Record<string, number>>
  /** dtype of 0-dim state when not float32 (`mu_product` loaded into a float64 run). */
  scalarDtypes?: Readonly<Record<string, DType>>
  /** The parameter's group: `param_groups[g]` without `params`. */
  group: Readonly<Record<string, unknown>>
}

export interface UpdateBox {
  /** PyTorch's class name. */
  optimizer: string
  /** The update's t (1 for the first `step()`), from `state['step']`; null for SGD, which keeps no count. */
  t: number | null
  inputs: BoxInput[]
  lines: BoxLine[]
  /** θ_t: the last line's value. */
  param: number
  /** The state after the step at this index, keyed as `optimizer.state[p]` (0-dim entries included). */
  state: Record<string, number>
}

/** float32 or float64 arithmetic as the update kernels perform it. */
export interface Arith {
  /** A Python float meeting a tensor of this dtype. */
  R(x: number): number
  mul(a: number, b: number): number
  div(a: number, b: number): number
  sum(a: number, b: number): number
  sqrt(a: number): number
  add(a: number, b: number, alpha: number): number
  addcmul(a: number, b: number, c: number, value: number): number
  addcdiv(a: number, b: number, c: number, value: number): number
  lerp(a: number, b: number, weight: number): number
}

const F = Math.fround

const ARITH: Record<DType, Arith> = {
  float32: {
    R: F,
    mul: (a, b) => F(a * b),
    div: (a, b) => F(a / b),
    sum: (a, b) => F(a + b),
    sqrt: (a) => F(Math.sqrt(a)),
    add: pointwise.add32,
    addcmul: pointwise.addcmul32,
    addcdiv: pointwise.addcdiv32,
    lerp: pointwise.lerp32
  },
  float64: {
    R: (x) => x,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    sum: (a, b) => a + b,
    sqrt: Math.sqrt,
    add: pointwise.add64,
    addcmul: pointwise.addcmul64,
    addcdiv: pointwise.addcdiv64,
    lerp: pointwise.lerp64
  }
}

export function arithFor(dtype: DType): Arith {
  return ARITH[dtype]
}

/** `state['step'] += 1` on the 0-dim float32 step tensor. */
export function nextStep(state: Readonly<Record<string, number>>): number {
  return F((state.step ?? 0) + 1)
}

export function num(group: Readonly<Record<string, unknown>>, key: string): number {
  const value = group[key]
  if (typeof value !== 'number') throw new TypeError(`param_group["${key}"] must be a number, got ${String(value)}`)
  return value
}

export function flag(group: Readonly<Record<string, unknown>>, key: string): boolean {
  return group[key] === true
}

export function betas(group: Readonly<Record<string, unknown>>): [number, number] {
  const value = group.betas
  if (!Array.isArray(value) || value.length !== 2) throw new TypeError('param_group["betas"] must be a pair of numbers')
  return [Number(value[0]), Number(value[1])]
}

/** g_t from `.grad`: negated first when maximizing, as the single-tensor path does. */
export function gradientLine(grad: number, maximize: boolean): BoxLine {
  return maximize
    ? { symbol: 'g_t', formula: '−∇_θ f_t(θ_{t−1})', value: -grad, condition: 'maximize' }
    : { symbol: 'g_t', formula: '∇_θ f_t(θ_{t−1})', value: grad }
}

/** The step counter's line. */
export function stepLine(t: number): BoxLine {
  return { symbol: 't', formula: 't + 1', value: t, stateKey: 'step' }
}

/**
 * The Adam family's weight decay: coupled (λ·θ added to g_t) or, with `decoupled_weight_decay`,
 * applied to θ first (the kernel's θ·(1 − γλ)). Appends its line when λ ≠ 0.
 */
export function weightDecayLines(
  { R, add, mul }: Arith,
  lines: BoxLine[],
  g: number,
  theta: number,
  lr: number,
  weightDecay: number,
  decoupled: boolean
): { g: number; theta: number } {
  if (weightDecay !== 0 && decoupled) {
    theta = mul(theta, R(1 - lr * weightDecay))
    lines.push({ symbol: 'θ_t', formula: 'θ_{t−1} − γλ·θ_{t−1}', value: theta, condition: 'λ ≠ 0 (decoupled)', computedAs: 'θ_{t−1}·(1 − γλ)' })
  } else if (weightDecay !== 0) {
    g = add(g, theta, R(weightDecay))
    lines.push({ symbol: 'g_t', formula: 'g_t + λ·θ_{t−1}', value: g, condition: 'λ ≠ 0' })
  }
  return { g, theta }
}

/** The Adam family's first and second moments, m_t (exp_avg, by lerp as the kernel does) and v_t (exp_avg_sq). */
export function momentLines(
  { R, addcmul, lerp, mul }: Arith,
  lines: BoxLine[],
  state: Readonly<Record<string, number>>,
  g: number,
  beta1: number,
  beta2: number
): { m: number; v: number } {
  const m = lerp(state.exp_avg ?? 0, g, R(1 - beta1))
  lines.push({ symbol: 'm_t', formula: 'β1·m_{t−1} + (1 − β1)·g_t', value: m, stateKey: 'exp_avg', computedAs: 'lerp(m_{t−1}, g_t, 1 − β1)' })
  const v = addcmul(mul(state.exp_avg_sq ?? 0, R(beta2)), g, g, R(1 - beta2))
  lines.push({ symbol: 'v_t', formula: 'β2·v_{t−1} + (1 − β2)·g_t²', value: v, stateKey: 'exp_avg_sq' })
  return { m, v }
}
