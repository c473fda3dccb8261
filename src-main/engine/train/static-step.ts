import { LeakyReLU, Linear, ReLU, Sigmoid, Tanh, type Sequential } from '../nn/layers'
import type { Module } from '../nn/module'
import { leakyReluMath, reluMath, sigmoidMath, tanhMath, type ActivationMath } from '../ops/activation'
import { linearBackwardInto, linearForwardInto } from '../ops/linear-algebra'
import { mseBackwardInto, mseNorm, mseReduce, mseTermsInto } from '../ops/loss'
import type { Optimizer } from '../optim/optimizer'
import { allocate, allocateLasting, rounderFor, type DType, type Storage } from '../tensor/dtype'
import { Tensor, type Parameter } from '../tensor/tensor'

/** One layer of the network as the static step runs it. */
type Stage =
  | { kind: 'linear'; layer: Linear; inFeatures: number; outFeatures: number }
  | { kind: 'activation'; math: ActivationMath; features: number }

/** Storages of one stage: its output and the gradient of its input (null where none is needed). */
interface StageStorages {
  out: Storage
  gradIn: Storage | null
  /** A Linear's weight and bias gradients, and the tensors that hand them to `.grad`. */
  gradWeight?: Tensor
  gradBias?: Tensor | null
}

/**
 * The training session's forward, loss and backward without recording a graph. A session's network
 * never changes shape from one step to the next (Linear layers and activations in a Sequential,
 * MSELoss on fixed x and y), so this step makes the very kernel calls that autograd's ops make, in
 * the order its backward pass makes them, through the ops' own arithmetic (`linearForwardInto`,
 * `ActivationMath`, `mseTermsInto`, ...), on storages kept from step to step: the same numbers,
 * bit for bit (tests/engine/train/static-step.test.ts), without the graph's objects, closures and
 * allocations. That bookkeeping cost ≈ 10 % of a lesson step in a fresh process, mostly JavaScript
 * that V8 had not optimized yet (docs/performance.md). PyTorch's CUDA graphs and torch.compile
 * replay a captured step for the same reason.
 *
 * Only for `zero_grad(set_to_none=True)`, the default: the gradients are then new each step, here
 * storages owned by this step. Any other network, loss or mode trains through autograd (`plan`
 * returns null).
 */
export class StaticStep {
  private storages: { stages: StageStorages[]; diff: Storage; squares: Storage; gradPrediction: Storage } | null = null
  /** The backward pass's seed, d loss / d loss = 1. */
  private readonly seed: Storage
  private readonly norm: number
  private readonly round: (x: number) => number

  private constructor(
    private readonly stages: readonly Stage[],
    private readonly x: Tensor,
    private readonly y: Tensor,
    private readonly reduction: 'sum' | 'mean'
  ) {
    this.seed = allocate(x.dtype, 1).fill(1)
    this.norm = mseNorm(x.dtype, reduction, y.numel)
    this.round = rounderFor(x.dtype)
  }

  /**
   * A static step for `model` trained on MSELoss(reduction) against y, or null where it does not
   * apply: other layers or losses, x that requires grad, parameters the optimizer does not hold (its
   * zero_grad would leave their gradients to accumulate), shapes or dtypes that do not chain (autograd
   * reports those errors in PyTorch's words).
   */
  static plan(model: Sequential, x: Tensor, y: Tensor, reduction: string, optimizer: Optimizer): StaticStep | null {
    if (reduction !== 'sum' && reduction !== 'mean') return null
    if (x.ndim !== 2 || x.requiresGrad || y.dtype !== x.dtype) return null
    const held = new Set(optimizer.paramGroups.flatMap((g) => g.params))
    if (!model.parameters().every((p) => held.has(p) && p.dtype === x.dtype)) return null
    const [batch, inputs] = x.shape
    let features = inputs
    const stages: Stage[] = []
    for (const layer of model.layers) {
      const stage = stageOf(layer, features, x.dtype)
      if (!stage) return null
      stages.push(stage)
      if (stage.kind === 'linear') features = stage.outFeatures
    }
    if (!stages.some((s) => s.kind === 'linear')) return null
    if (y.shape.length !== 2 || y.shape[0] !== batch || y.shape[1] !== features) return null
    return new StaticStep(stages, x, y, reduction)
  }

  /**
   * loss = loss_fn(model(x), y); loss.backward() — after `optimizer.zero_grad()` has set every
   * gradient to None. Returns loss.item(). Each parameter that requires grad gets its gradient in
   * `.grad`; the tensors are this step's own, refilled every step.
   */
  lossAndGradients(): number {
    const { stages: storages, diff, squares, gradPrediction } = (this.storages ??= this.allocateStorages())
    const batch = this.x.shape[0]

    // A stage's input is the previous stage's output (x for the first).
    const inputOf = (i: number): Storage => (i === 0 ? this.x.data : storages[i - 1].out)
    for (let i = 0; i < this.stages.length; i++) {
      const stage = this.stages[i]
      const { out } = storages[i]
      if (stage.kind === 'linear') {
        const { weight, bias } = stage.layer
        linearForwardInto(inputOf(i), weight.data, bias?.data ?? null, out, batch, stage.inFeatures, stage.outFeatures)
      } else stage.math.forwardInto(inputOf(i), out)
    }
    mseTermsInto(inputOf(this.stages.length), this.y.data, diff, squares)
    const loss = this.round(mseReduce(squares, this.reduction))

    // Autograd would record only what depends on a parameter that requires grad: below the first
    // such layer nothing needs a gradient.
    const firstTracked = this.stages.findIndex((s) => s.kind === 'linear' && (s.layer.weight.requiresGrad || s.layer.bias?.requiresGrad === true))
    if (firstTracked < 0) throw new Error('element 0 of tensors does not require grad and does not have a grad_fn')
    mseBackwardInto(diff, this.seed, gradPrediction, this.norm, false)
    let g = gradPrediction
    for (let i = this.stages.length - 1; i >= firstTracked; i--) {
      const stage = this.stages[i]
      const s = storages[i]
      const gradIn = i > firstTracked ? s.gradIn : null
      if (stage.kind === 'linear') {
        const { weight, bias } = stage.layer
        const gw = weight.requiresGrad ? s.gradWeight!.data : null
        const gb = bias?.requiresGrad ? s.gradBias!.data : null
        linearBackwardInto(g, inputOf(i), weight.data, gradIn, gw, gb, batch, stage.inFeatures, stage.outFeatures)
        if (gw) handOver(weight, s.gradWeight!)
        if (gb) handOver(bias!, s.gradBias!)
      } else if (gradIn) stage.math.backwardInto(g, inputOf(i), s.out, gradIn)
      if (gradIn) g = gradIn
    }
    return loss
  }

  /** The step's storages, made at the first step (once the kernels that keep lasting storages are in place). */
  private allocateStorages(): NonNullable<StaticStep['storages']> {
    const batch = this.x.shape[0]
    const stages = this.stages.map((stage, i) => {
      const inFeatures = stage.kind === 'linear' ? stage.inFeatures : stage.features
      const outFeatures = stage.kind === 'linear' ? stage.outFeatures : stage.features
      // Lasting, as long as the session: in the kernels' own memory where they keep one, so no call copies them in or out.
      const storages: StageStorages = {
        out: allocateLasting(this.x.dtype, batch * outFeatures, false),
        gradIn: i > 0 ? allocateLasting(this.x.dtype, batch * inFeatures, false) : null
      }
      if (stage.kind === 'linear') {
        const { weight, bias } = stage.layer
        storages.gradWeight = new Tensor(allocateLasting(this.x.dtype, weight.numel, false), weight.shape)
        storages.gradBias = bias ? new Tensor(allocateLasting(this.x.dtype, bias.numel), bias.shape) : null
      }
      return storages
    })
    const n = this.y.numel
    return { stages, diff: allocateLasting(this.x.dtype, n), squares: allocateLasting(this.x.dtype, n), gradPrediction: allocateLasting(this.x.dtype, n) }
  }
}

/** As autograd's leaf accumulation after zero_grad(set_to_none=True): the new gradient becomes `.grad`. */
function handOver(param: Parameter, grad: Tensor): void {
  if (param.grad !== null && param.grad !== grad) throw new Error('static step: a gradient was not set to None before backward')
  param.grad = grad
}

function stageOf(layer: Module, features: number, dtype: DType): Stage | null {
  if (layer instanceof Linear) {
    if (layer.inFeatures !== features) return null
    return { kind: 'linear', layer, inFeatures: layer.inFeatures, outFeatures: layer.outFeatures }
  }
  const math =
    layer instanceof ReLU
      ? reluMath()
      : layer instanceof LeakyReLU
        ? leakyReluMath(dtype, layer.negativeSlope)
        : layer instanceof Tanh
          ? tanhMath(dtype)
          : layer instanceof Sigmoid
            ? sigmoidMath(dtype)
            : null
  return math ? { kind: 'activation', math, features } : null
}
