/**
 * The tutorial series' five rungs: the same two-layer net trained five ways, each rung replacing
 * hand work with a PyTorch facility. Only the bookkeeping changes; the numbers stay the same.
 *
 *   1 numpy     plain arrays, gradients derived by hand (chain rule written out)
 *   2 tensors   the same with tensor operations
 *   3 autograd  `loss.backward()` finds the gradients; the update is written by hand
 *   4 nn        `nn.Sequential` + `MSELoss`; the update loops over `model.parameters()`
 *   5 optim     `torch.optim.SGD` does the update: `zero_grad()`, `backward()`, `step()`
 *
 * Same start for all five, so the curves can be laid on top of each other. The series drew
 * `w1 = randn(D_in, H)` for the first rungs and had no biases; here every rung starts from the
 * weights `nn.Linear` draws after `manual_seed(seed); x = randn(N, D_in); y = randn(N, D_out)`
 * (rungs 1–3 use them transposed, `w1 = W1ᵀ`, so `x · w1` computes `x · W1ᵀ`), biases included,
 * since rungs 4–5 have them. The update is plain gradient descent with the same lr everywhere.
 * Every rung computes in float32, so they differ only by float32 rounding (how each rung groups
 * its operations): `maxDifference` reports by how much.
 */
import { noGrad } from '../autograd/graph'
import { MSELoss } from '../nn/loss'
import { Linear, ReLU, Sequential } from '../nn/layers'
import { addRow, sumRows } from '../ops/broadcast'
import { clampMin, mul, pow, sub } from '../ops/elementwise'
import { mm, t } from '../ops/linear-algebra'
import { sum } from '../ops/reduction'
import { SGD } from '../optim/sgd'
import { Generator } from '../random/generator'
import { normalFill } from '../random/normal'
import { Tensor } from '../tensor/tensor'

export interface RungConfig {
  seed: number
  /** Samples (N). */
  n: number
  dIn: number
  /** Width of the one hidden layer (H). */
  hidden: number
  dOut: number
  /** Plain gradient descent step size, the same for all five rungs. */
  lr: number
  steps: number
}

/** The series' sizes and lr (sum reduction makes 1e-6 the stable step for plain SGD). */
export const RUNG_DEFAULTS: RungConfig = { seed: 0, n: 64, dIn: 1000, hidden: 100, dOut: 10, lr: 1e-6, steps: 500 }

export type RungIndex = 1 | 2 | 3 | 4 | 5

export interface RungInfo {
  index: RungIndex
  name: 'numpy' | 'tensors' | 'autograd' | 'nn' | 'optim'
  title: string
}

export const RUNGS: readonly RungInfo[] = [
  { index: 1, name: 'numpy', title: 'numpy: arrays, gradients derived by hand' },
  { index: 2, name: 'tensors', title: 'Tensors: the same, with tensor operations' },
  { index: 3, name: 'autograd', title: 'autograd: loss.backward() finds the gradients' },
  { index: 4, name: 'nn', title: 'nn: Sequential and MSELoss, update by hand' },
  { index: 5, name: 'optim', title: 'optim: torch.optim.SGD does the update' }
]

/** One rung, stepped like the tutorial's loop body: returns the loss printed before the update. */
export interface Rung {
  readonly info: RungInfo
  step(): number
}

// ---- the common start ----

interface Start {
  x: Float32Array
  y: Float32Array
  /** nn.Linear's weights as drawn: W1 [H, D_in], W2 [D_out, H]. */
  weight1: Float32Array
  bias1: Float32Array
  weight2: Float32Array
  bias2: Float32Array
}

/** `manual_seed(seed)`, x, y, then the two `nn.Linear` layers, drawn as PyTorch draws them. */
function lessonModel(c: RungConfig): { x: Tensor; y: Tensor; model: Sequential; linear1: Linear; linear2: Linear } {
  const generator = new Generator()
  generator.manualSeed(c.seed)
  const x = Tensor.zeros([c.n, c.dIn])
  normalFill(generator, x.data as Float32Array, 0, 1)
  const y = Tensor.zeros([c.n, c.dOut])
  normalFill(generator, y.data as Float32Array, 0, 1)
  const linear1 = new Linear(c.dIn, c.hidden, { generator })
  const linear2 = new Linear(c.hidden, c.dOut, { generator })
  return { x, y, model: new Sequential(linear1, new ReLU(), linear2), linear1, linear2 }
}

function start(c: RungConfig): Start {
  const { x, y, linear1, linear2 } = lessonModel(c)
  const copy = (t: Tensor): Float32Array => Float32Array.from(t.data)
  return {
    x: copy(x), y: copy(y),
    weight1: copy(linear1.weight), bias1: copy(linear1.bias!),
    weight2: copy(linear2.weight), bias2: copy(linear2.bias!)
  }
}

/** The transpose of a rows×cols row-major matrix. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]
  return out
}

// ---- rung 1: plain arrays ----

/** `a.dot(b)` for a [m, k], b [k, n]; each sum in double, stored as float32 (as a BLAS rounds once). */
function dot(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const out = new Float32Array(m * n)
  const acc = new Float64Array(n)
  for (let i = 0; i < m; i++) {
    acc.fill(0)
    for (let p = 0; p < k; p++) {
      const s = a[i * k + p]
      const row = p * n
      for (let j = 0; j < n; j++) acc[j] += s * b[row + j]
    }
    out.set(acc, i * n)
  }
  return out
}

/** `a + b` with b broadcast over the rows, in place. */
function addRowInPlace(a: Float32Array, b: Float32Array): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = a[i] + b[i % b.length]
  return a
}

/** `a.sum(0)`: column sums. */
function columnSums(a: Float32Array, rows: number, cols: number): Float32Array {
  const acc = new Float64Array(cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) acc[j] += a[i * cols + j]
  return Float32Array.from(acc)
}

/** `w -= lr * g`: the Python float meets float32 arrays, so lr is rounded to float32 first. */
function descend(w: Float32Array, g: Float32Array, lr: number): void {
  const step = Math.fround(lr)
  for (let i = 0; i < w.length; i++) w[i] = w[i] - Math.fround(step * g[i])
}

class NumpyRung implements Rung {
  readonly info = RUNGS[0]
  private readonly s: Start
  private readonly w1: Float32Array
  private readonly w2: Float32Array

  constructor(private readonly c: RungConfig) {
    this.s = start(c)
    this.w1 = transpose(this.s.weight1, c.hidden, c.dIn) // [D_in, H]
    this.w2 = transpose(this.s.weight2, c.dOut, c.hidden) // [H, D_out]
  }

  step(): number {
    const { n, dIn, hidden: H, dOut, lr } = this.c
    const { x, y, bias1: b1, bias2: b2 } = this.s
    const { w1, w2 } = this
    // forward pass
    const h = addRowInPlace(dot(x, w1, n, dIn, H), b1)
    const hRelu = h.map((v) => (v > 0 ? v : 0))
    const yPred = addRowInPlace(dot(hRelu, w2, n, H, dOut), b2)
    const diff = yPred.map((v, i) => v - y[i])
    let total = 0
    for (const d of diff) total += Math.fround(d * d)
    const loss = Math.fround(total)
    // backward pass: the chain rule by hand
    const gradYPred = diff.map((d) => 2 * d)
    const gradW2 = dot(transpose(hRelu, n, H), gradYPred, H, n, dOut)
    const gradB2 = columnSums(gradYPred, n, dOut)
    const gradHRelu = dot(gradYPred, transpose(w2, H, dOut), n, dOut, H)
    const gradH = gradHRelu.map((g, i) => (h[i] < 0 ? 0 : g))
    const gradW1 = dot(transpose(x, n, dIn), gradH, dIn, n, H)
    const gradB1 = columnSums(gradH, n, H)
    // update
    descend(w1, gradW1, lr)
    descend(b1, gradB1, lr)
    descend(w2, gradW2, lr)
    descend(b2, gradB2, lr)
    return loss
  }
}

// ---- rung 2: tensors, gradients by hand ----

/** `w -= delta` in place (the tensor object stays the same). */
function subInPlace(w: Tensor, delta: Tensor): void {
  for (let i = 0; i < w.numel; i++) w.data[i] = w.data[i] - delta.data[i]
}

/** `grad[h < 0] = 0` on a copy of `grad`. */
function maskNegative(grad: Tensor, h: Tensor): Tensor {
  const out = grad.clone()
  for (let i = 0; i < out.numel; i++) if (h.data[i] < 0) out.data[i] = 0
  return out
}

class TensorRung implements Rung {
  readonly info = RUNGS[1]
  private readonly x: Tensor
  private readonly y: Tensor
  private readonly w1: Tensor
  private readonly b1: Tensor
  private readonly w2: Tensor
  private readonly b2: Tensor

  constructor(private readonly c: RungConfig) {
    const s = start(c)
    this.x = new Tensor(s.x, [c.n, c.dIn])
    this.y = new Tensor(s.y, [c.n, c.dOut])
    this.w1 = new Tensor(transpose(s.weight1, c.hidden, c.dIn), [c.dIn, c.hidden])
    this.b1 = new Tensor(s.bias1, [c.hidden])
    this.w2 = new Tensor(transpose(s.weight2, c.dOut, c.hidden), [c.hidden, c.dOut])
    this.b2 = new Tensor(s.bias2, [c.dOut])
  }

  step(): number {
    const { x, y, w1, b1, w2, b2 } = this
    const lr = this.c.lr
    const h = addRow(mm(x, w1), b1)
    const hRelu = clampMin(h, 0)
    const yPred = addRow(mm(hRelu, w2), b2)
    const loss = sum(pow(sub(yPred, y), 2)).item()

    const gradYPred = mul(sub(yPred, y), 2)
    const gradW2 = mm(t(hRelu), gradYPred)
    const gradB2 = sumRows(gradYPred)
    const gradHRelu = mm(gradYPred, t(w2))
    const gradH = maskNegative(gradHRelu, h)
    const gradW1 = mm(t(x), gradH)
    const gradB1 = sumRows(gradH)

    subInPlace(w1, mul(gradW1, lr))
    subInPlace(b1, mul(gradB1, lr))
    subInPlace(w2, mul(gradW2, lr))
    subInPlace(b2, mul(gradB2, lr))
    return loss
  }
}

// ---- rung 3: autograd ----

class AutogradRung implements Rung {
  readonly info = RUNGS[2]
  private readonly x: Tensor
  private readonly y: Tensor
  private readonly weights: Tensor[]

  constructor(private readonly c: RungConfig) {
    const s = start(c)
    this.x = new Tensor(s.x, [c.n, c.dIn])
    this.y = new Tensor(s.y, [c.n, c.dOut])
    const leaf = (data: Float32Array, shape: number[]): Tensor => new Tensor(data, shape, { requiresGrad: true })
    this.weights = [
      leaf(transpose(s.weight1, c.hidden, c.dIn), [c.dIn, c.hidden]),
      leaf(s.bias1, [c.hidden]),
      leaf(transpose(s.weight2, c.dOut, c.hidden), [c.hidden, c.dOut]),
      leaf(s.bias2, [c.dOut])
    ]
  }

  step(): number {
    const [w1, b1, w2, b2] = this.weights
    const yPred = addRow(mm(clampMin(addRow(mm(this.x, w1), b1), 0), w2), b2)
    const loss = sum(pow(sub(yPred, this.y), 2))
    const value = loss.item()
    loss.backward()
    noGrad(() => {
      for (const w of this.weights) subInPlace(w, mul(w.grad!, this.c.lr))
      for (const w of this.weights) w.grad!.data.fill(0) // w.grad.zero_()
    })
    return value
  }
}

// ---- rungs 4 and 5: nn, then optim ----

class NnRung implements Rung {
  readonly info = RUNGS[3]
  protected readonly x: Tensor
  protected readonly y: Tensor
  protected readonly model: Sequential
  protected readonly lossFn = new MSELoss('sum')

  constructor(protected readonly c: RungConfig) {
    const { x, y, model } = lessonModel(c)
    this.x = x
    this.y = y
    this.model = model
  }

  step(): number {
    const loss = this.lossFn.call(this.model.forward(this.x), this.y)
    const value = loss.item()
    this.model.zeroGrad()
    loss.backward()
    noGrad(() => {
      for (const param of this.model.parameters()) subInPlace(param, mul(param.grad!, this.c.lr))
    })
    return value
  }
}

class OptimRung extends NnRung {
  override readonly info = RUNGS[4]
  private readonly optimizer: SGD

  constructor(c: RungConfig) {
    super(c)
    this.optimizer = new SGD(this.model.parameters(), { lr: c.lr })
  }

  override step(): number {
    const loss = this.lossFn.call(this.model.forward(this.x), this.y)
    const value = loss.item()
    this.optimizer.zeroGrad()
    loss.backward()
    this.optimizer.step()
    return value
  }
}

const CLASSES: Record<RungIndex, new (c: RungConfig) => Rung> = {
  1: NumpyRung,
  2: TensorRung,
  3: AutogradRung,
  4: NnRung,
  5: OptimRung
}

export function createRung(index: RungIndex, config: RungConfig = RUNG_DEFAULTS): Rung {
  return new CLASSES[index](config)
}

/** The losses of `steps` steps of one rung. */
export function runRung(index: RungIndex, config: RungConfig = RUNG_DEFAULTS, steps = config.steps): number[] {
  const rung = createRung(index, config)
  return Array.from({ length: steps }, () => rung.step())
}

export interface RungCurve {
  info: RungInfo
  losses: number[]
}

/** All five curves (the UI steps them itself with `createRung` when it wants them live). */
export function runRungs(config: RungConfig = RUNG_DEFAULTS, steps = config.steps): RungCurve[] {
  return RUNGS.map((info) => ({ info, losses: runRung(info.index, config, steps) }))
}

export interface Difference {
  /** The step where the relative difference is largest. */
  step: number
  /** |a − b| there. */
  absolute: number
  /** |a − b| / max(|a|, |b|) there (DESIGN's rel). */
  relative: number
}

/** The largest relative difference between two curves over their common steps. */
export function maxDifference(a: readonly number[], b: readonly number[]): Difference {
  let worst: Difference = { step: 0, absolute: 0, relative: 0 }
  for (let s = 0; s < Math.min(a.length, b.length); s++) {
    if (a[s] === b[s]) continue
    const absolute = Math.abs(a[s] - b[s])
    const relative = absolute / Math.max(Math.abs(a[s]), Math.abs(b[s]))
    if (!(relative <= worst.relative)) worst = { step: s, absolute, relative }
  }
  return worst
}

/** The largest difference between any two of the curves, and which two. */
export function largestDifference(curves: readonly RungCurve[]): Difference & { between: [RungIndex, RungIndex] } {
  let worst: Difference & { between: [RungIndex, RungIndex] } = { step: 0, absolute: 0, relative: 0, between: [1, 1] }
  for (let i = 0; i < curves.length; i++) {
    for (let j = i + 1; j < curves.length; j++) {
      const d = maxDifference(curves[i].losses, curves[j].losses)
      if (d.relative > worst.relative || (worst.between[0] === worst.between[1] && i !== j)) {
        worst = { ...d, between: [curves[i].info.index, curves[j].info.index] }
      }
    }
  }
  return worst
}

export { rungSource } from './rung-sources'
