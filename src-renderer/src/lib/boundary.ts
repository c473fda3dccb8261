/**
 * What the decision-boundary view draws: the training points of a 2-D classification run, and the
 * class the model predicts at each cell of a grid over them. The forward pass runs here, in double,
 * from an exported weights file (`Linear`: y = x Wᵀ + b, then the activation); it only colours a
 * picture, so it need not match the engine's float32 bits. No DOM: unit-tested.
 */
import { classCount, type LabConfig } from '../../../src-main/shared/config'
import type { ArchitectureLayer, WeightsFile } from '../../../src-main/shared/weights-file'
import { syntheticDataset } from '../../../src-main/engine/data/synthetic'
import { Generator } from '../../../src-main/engine/random/generator'

export interface LabelledPoints {
  /** [x0, y0, x1, y1, …] */
  xy: ArrayLike<number>
  labels: ArrayLike<number>
  classes: number
}

/** The run's 2-D training points (drawn again from its seed, or its CSV), or null if it has none. */
export function pointsOf(config: LabConfig): LabelledPoints | null {
  const classes = classCount(config)
  const data = config.data
  if (classes === null || !data || config.dIn !== 2) return null
  if (data.kind === 'csv') return { xy: data.x, labels: data.y, classes }
  if (data.kind === 'randn') return null
  const generator = new Generator()
  generator.manualSeed(config.seed)
  const set = syntheticDataset(generator, { ...data, n: config.n })
  return { xy: set.x.data, labels: set.labels, classes }
}

type Layer = (input: Float64Array) => Float64Array

function layerOf(spec: ArchitectureLayer, index: number, weights: WeightsFile): Layer {
  switch (spec.type) {
    case 'Linear': {
      const w = weights.state_dict[`${index}.weight`].data
      const b = spec.bias ? weights.state_dict[`${index}.bias`].data : null
      const { in_features: nIn, out_features: nOut } = spec
      return (x) => {
        const out = new Float64Array(nOut)
        for (let o = 0; o < nOut; o++) {
          let s = b ? b[o] : 0
          for (let i = 0; i < nIn; i++) s += w[o * nIn + i] * x[i]
          out[o] = s
        }
        return out
      }
    }
    case 'ReLU':
      return (x) => x.map((v) => (v > 0 ? v : 0))
    case 'Tanh':
      return (x) => x.map(Math.tanh)
    case 'Sigmoid':
      return (x) => x.map((v) => 1 / (1 + Math.exp(-v)))
    case 'LeakyReLU':
      return (x) => x.map((v) => (v > 0 ? v : v * spec.negative_slope))
  }
}

/** The model of `weights` as a function from a 2-D point to the index of its largest logit. */
export function classifier(weights: WeightsFile): (px: number, py: number) => number {
  const layers = weights.architecture.map((spec, i) => layerOf(spec, i, weights))
  return (px, py) => {
    let v: Float64Array = Float64Array.of(px, py)
    for (const layer of layers) v = layer(v)
    let best = 0
    for (let k = 1; k < v.length; k++) if (v[k] > v[best]) best = k
    return best
  }
}

export interface Frame {
  x0: number
  x1: number
  y0: number
  y1: number
}

/** The points' bounding box with a margin of `pad` of its size on every side. */
export function frameOf(points: LabelledPoints, pad = 0.1): Frame {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity]
  for (let i = 0; i < points.xy.length; i += 2) {
    x0 = Math.min(x0, points.xy[i])
    x1 = Math.max(x1, points.xy[i])
    y0 = Math.min(y0, points.xy[i + 1])
    y1 = Math.max(y1, points.xy[i + 1])
  }
  const dx = (x1 - x0 || 1) * pad
  const dy = (y1 - y0 || 1) * pad
  return { x0: x0 - dx, x1: x1 + dx, y0: y0 - dy, y1: y1 + dy }
}

/** The predicted class of each of `cells` × `cells` grid cells (row 0 at the top), row-major. */
export function classGrid(predict: (x: number, y: number) => number, frame: Frame, cells: number): Uint8Array {
  const grid = new Uint8Array(cells * cells)
  for (let r = 0; r < cells; r++) {
    const y = frame.y1 - ((r + 0.5) / cells) * (frame.y1 - frame.y0)
    for (let c = 0; c < cells; c++) grid[r * cells + c] = predict(frame.x0 + ((c + 0.5) / cells) * (frame.x1 - frame.x0), y)
  }
  return grid
}

/** Share of points the model classifies as labelled. */
export function accuracy(predict: (x: number, y: number) => number, points: LabelledPoints): number {
  let right = 0
  const n = points.labels.length
  for (let i = 0; i < n; i++) if (predict(points.xy[2 * i], points.xy[2 * i + 1]) === points.labels[i]) right++
  return n === 0 ? 0 : right / n
}
