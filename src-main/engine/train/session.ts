import { layerWidths, lossOf, zeroGradOf, type LabConfig } from '../../shared/config'
import type { IdentityRow, ParameterInspection } from '../../shared/protocol'
import type { ArchitectureLayer, WeightsFile } from '../../shared/weights-file'
import { WEIGHTS_FORMAT, WEIGHTS_VERSION } from '../../shared/weights-file'
import { noGrad, releaseGraph } from '../autograd/graph'
import { syntheticDataset } from '../data/synthetic'
import { CrossEntropyLoss, MSELoss } from '../nn/loss'
import { LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Tanh } from '../nn/layers'
import type { Module } from '../nn/module'
import type { Optimizer } from '../optim/optimizer'
import type { LRScheduler } from '../optim/lr-scheduler'
import { Generator } from '../random/generator'
import { normalFill } from '../random/normal'
import { allocateLasting, numelOf, recycle } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'
import { float32Sha256 } from '../numeric/sha256'
import { serializeOptimizer, serializeTensor } from './serialize'
import { buildOptimizer, buildScheduler, stepScheduler } from './optimizer-setup'
import { StaticStep } from './static-step'

export { previewLrs } from './optimizer-setup'

export const APP_NAME = 'optim-lab 0.1.0'

function activationModule(name: LabConfig['activation']): Module {
  switch (name) {
    case 'relu':
      return new ReLU()
    case 'tanh':
      return new Tanh()
    case 'sigmoid':
      return new Sigmoid()
    case 'leaky_relu':
      return new LeakyReLU()
  }
}

/** `torch.randn(rows, cols)` from `generator`. */
export function randn(generator: Generator, shape: number[]): Tensor {
  const t = new Tensor(allocateLasting('float32', numelOf(shape)), shape)
  normalFill(generator, t.data as Float32Array, 0, 1)
  return t
}

/**
 * x and y for `config.data`, drawn from `generator` right after `manual_seed`: the lesson's
 * randn(N, D_in) and randn(N, D_out), a synthetic 2-D set (y = class indices, shape [N]) or the
 * imported CSV values (as `torch.tensor(values, dtype=torch.float32)`; nothing is drawn).
 */
export function buildData(config: LabConfig, generator: Generator): { x: Tensor; y: Tensor } {
  const data = config.data ?? { kind: 'randn' }
  switch (data.kind) {
    case 'randn': {
      const x = randn(generator, [config.n, config.dIn])
      return { x, y: randn(generator, [config.n, config.dOut]) }
    }
    case 'csv':
      return {
        x: Tensor.fromArray(data.x, [config.n, config.dIn]),
        y: Tensor.fromArray(data.y, data.task === 'classification' ? [config.n] : [config.n, config.dOut])
      }
    default: {
      const { x, labels } = syntheticDataset(generator, { ...data, n: config.n })
      return { x, y: Tensor.fromArray(labels, [config.n]) }
    }
  }
}

/** `loss_fn(y_pred, y)`: MSELoss against y, or CrossEntropyLoss against y's class indices. */
function lossFunction(config: LabConfig): (prediction: Tensor, y: Tensor) => Tensor {
  if (lossOf(config) === 'cross_entropy') {
    const loss = new CrossEntropyLoss(config.reduction)
    return (prediction, y) => loss.call(prediction, y.data)
  }
  const loss = new MSELoss(config.reduction)
  return (prediction, y) => loss.call(prediction, y)
}

/**
 * The lesson's experiment for one configuration, built in PyTorch's order from one seed:
 * `manual_seed(s)`, x = randn(N, D_in), y = randn(N, D_out) (or the configured data), then the
 * Linear layers. float64 draws exactly as float32 and casts afterwards (PyTorch's `.double()`).
 */
export class TrainingSession {
  readonly generator = new Generator()
  readonly x: Tensor
  readonly y: Tensor
  readonly model: Sequential
  /** `loss_fn(y_pred, y)`: nn.MSELoss, or nn.CrossEntropyLoss for class labels. */
  readonly lossFn: { call(prediction: Tensor, y: Tensor): Tensor }
  readonly optimizer: Optimizer
  /** `config.scheduler`, stepped after every `optimizer.step()`; null without one. */
  readonly scheduler: LRScheduler | null
  /** Updates applied so far. */
  stepsDone = 0
  /** Forward and backward without a recorded graph, where that applies (static-step.ts); null: through autograd. */
  private readonly staticStep: StaticStep | null

  /** `options.recordGraph`: train through autograd on every step (tests compare the two ways). */
  constructor(readonly config: LabConfig, options: { recordGraph?: boolean } = {}) {
    this.generator.manualSeed(config.seed)
    const { x, y } = buildData(config, this.generator)
    const widths = layerWidths(config)
    const layers: Module[] = []
    for (let i = 0; i + 1 < widths.length; i++) {
      layers.push(new Linear(widths[i], widths[i + 1], { generator: this.generator }))
      if (i + 2 < widths.length) layers.push(activationModule(config.activation))
    }
    this.model = new Sequential(...layers)
    this.x = x.to(config.dtype)
    this.y = y.to(config.dtype)
    this.model.to(config.dtype)
    this.lossFn = { call: lossFunction(config) }
    // One group of model.parameters(), or one per Linear (paramGroupLayout's order).
    const linears = this.model.layers.filter((layer): layer is Linear => layer instanceof Linear)
    const groups = config.paramGroups === 'per-layer' ? linears.map((l) => l.parameters()) : [this.model.parameters()]
    this.optimizer = buildOptimizer(config, groups)
    this.scheduler = buildScheduler(config, this.optimizer)
    const planned = !options.recordGraph && lossOf(config) === 'mse' && zeroGradOf(config) === 'set_to_none'
    this.staticStep = planned ? StaticStep.plan(this.model, this.x, this.y, config.reduction, this.optimizer) : null
  }

  /** Whether steps run without recording a graph (for tests and the bench). */
  get usesStaticStep(): boolean {
    return this.staticStep !== null
  }

  /**
   * One `zero_grad → forward → backward → step` (zero_grad as `config.zeroGrad` says), then `scheduler.step()` (ReduceLROnPlateau:
   * `scheduler.step(loss)`); returns the loss measured before the update.
   */
  step(): number {
    if (this.staticStep) {
      this.optimizer.zeroGrad(true)
      return this.finishStep(this.staticStep.lossAndGradients())
    }
    const loss = this.lossFn.call(this.model.forward(this.x), this.y)
    const value = loss.item()
    // 'skip' leaves the call out, so backward adds into last step's .grad, as PyTorch does.
    const mode = zeroGradOf(this.config)
    if (mode === 'set_to_none') {
      // The gradients zero_grad drops belong to nobody else (the host copies what it shows): reuse them.
      const dropped = this.optimizer.paramGroups.flatMap((g) => g.params.flatMap((p) => (p.grad ? [p.grad.data] : [])))
      this.optimizer.zeroGrad(true)
      for (const storage of new Set(dropped)) recycle(storage)
    } else if (mode === 'zeros') {
      this.optimizer.zeroGrad(false)
    }
    loss.backward()
    // The step's activations belong to nobody else either (forward's tensors never leave this method).
    releaseGraph(loss)
    return this.finishStep(value)
  }

  /** optimizer.step() once the gradients are in place, then the scheduler; returns the step's loss. */
  private finishStep(loss: number): number {
    this.optimizer.step()
    stepScheduler(this.scheduler, loss)
    this.stepsDone++
    return loss
  }

  /**
   * The race's θ fingerprint: the first 8 hex digits of the sha256 of the parameters' float32
   * bytes (little-endian), concatenated in state_dict order. Taken before the first step, it is θ₀.
   */
  parameterFingerprint(): string {
    const params = [...this.model.namedParameters()].map(([, p]) => p.data)
    const all = new Float32Array(params.reduce((n, d) => n + d.length, 0))
    let offset = 0
    for (const data of params) {
      all.set(data, offset)
      offset += data.length
    }
    return float32Sha256(all).slice(0, 8)
  }

  /**
   * A race lane's start: copies another session's data (x, y) and current weights into this one
   * (same architecture and dtype), so every lane begins from the very same numbers.
   */
  copyStartFrom(other: TrainingSession): void {
    this.x.data.set(other.x.data)
    this.y.data.set(other.y.data)
    this.model.loadStateDict(new Map(other.model.namedParameters()))
  }

  /** `[group["lr"] for group in optimizer.param_groups]`: the lrs the next update will use. */
  currentLrs(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr)
  }

  /** The loss of the current weights, without recording a graph. */
  evaluateLoss(): number {
    return noGrad(() => this.lossFn.call(this.model.forward(this.x), this.y).item())
  }

  /**
   * `model.parameters()` against `optimizer.param_groups[g]["params"]`, position by position
   * (PyTorch's state_dict numbering), comparing the objects themselves.
   */
  identityRows(): IdentityRow[] {
    const grouped = this.optimizer.paramGroups.flatMap((group, g) => group.params.map((p) => ({ p, g })))
    return [...this.model.namedParameters()].map(([name, p], i) => {
      const entry = grouped[i]
      return {
        name,
        shape: [...p.shape],
        modelId: p.id,
        group: entry?.g ?? -1,
        groupId: entry?.p.id ?? -1,
        sameObject: entry?.p === p
      }
    })
  }

  inspectParameters(): ParameterInspection[] {
    return [...this.model.namedParameters()].map(([name, p]) => {
      const state: ParameterInspection['state'] = {}
      for (const [key, value] of Object.entries(this.optimizer.state.get(p) ?? {})) {
        state[key] = value.numel === 1 && value.ndim === 0 ? value.item() : summarize(value)
      }
      return { name, shape: [...p.shape], gradNorm: p.grad ? norm(p.grad.data) : null, state }
    })
  }

  architecture(): ArchitectureLayer[] {
    return this.model.layers.map((layer): ArchitectureLayer => {
      if (layer instanceof Linear) {
        return { type: 'Linear', in_features: layer.inFeatures, out_features: layer.outFeatures, bias: layer.bias !== null }
      }
      if (layer instanceof LeakyReLU) return { type: 'LeakyReLU', negative_slope: layer.negativeSlope }
      if (layer instanceof Tanh) return { type: 'Tanh' }
      if (layer instanceof Sigmoid) return { type: 'Sigmoid' }
      return { type: 'ReLU' }
    })
  }

  /** The weights file of DESIGN §6, with optimizer state once a step has been taken. */
  exportWeights(finalLoss: number | null = null): WeightsFile {
    const stateDict: WeightsFile['state_dict'] = {}
    for (const [name, p] of this.model.namedParameters()) stateDict[name] = serializeTensor(p)
    const file: WeightsFile = {
      format: WEIGHTS_FORMAT,
      version: WEIGHTS_VERSION,
      architecture: this.architecture(),
      state_dict: stateDict,
      meta: {
        seed: this.config.seed,
        steps: this.stepsDone,
        final_loss: finalLoss !== null && Number.isFinite(finalLoss) ? finalLoss : null,
        app: APP_NAME
      }
    }
    if (this.stepsDone > 0) {
      file.optimizer = { type: this.config.optimizer, state_dict: serializeOptimizer(this.optimizer) }
    }
    return file
  }
}

function norm(data: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < data.length; i++) s += data[i] * data[i]
  return Math.sqrt(s)
}

function summarize(t: Tensor): { shape: number[]; mean: number; min: number; max: number; norm: number } {
  let min = Infinity
  let max = -Infinity
  let total = 0
  for (const v of t.data) {
    if (v < min) min = v
    if (v > max) max = v
    total += v
  }
  return { shape: [...t.shape], mean: total / t.numel, min, max, norm: norm(t.data) }
}
