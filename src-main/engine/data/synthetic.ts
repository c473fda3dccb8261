/**
 * Small synthetic 2-D classification sets, drawn from the run's seeded generator so the same seed
 * gives the same points (and PyTorch, replaying scripts/torch/gen_classification.py, the same bits):
 *
 * - moons: scikit-learn's `make_moons` shape — two interleaving half circles, the upper one class 0;
 * - circles: `make_circles(factor=0.5)` — a ring (class 0) around a smaller ring (class 1);
 * - spiral: the CS231n spiral — `classes` arms, noise added to each point's angle.
 *
 * Unlike scikit-learn nothing is shuffled (full-batch training does not care about order) and the
 * noise comes from torch's normal generator, not numpy's: the shapes match sklearn's, the numbers
 * are PyTorch's. Bases and trig are computed in double and rounded to float32; the noise is added
 * with float32 arithmetic, as `base + torch.randn(n, 2) * noise` does.
 */
import { CIRCLES_FACTOR } from '../../shared/config'
import type { Generator } from '../random/generator'
import { normalFill } from '../random/normal'
import { Tensor } from '../tensor/tensor'

export const SYNTHETIC_DATASETS = ['moons', 'circles', 'spiral'] as const
export type SyntheticDatasetName = (typeof SYNTHETIC_DATASETS)[number]

export interface ClassificationData {
  /** [n, 2], float32. */
  x: Tensor
  /** The class index of every row. */
  labels: number[]
  classes: number
}

export interface SyntheticSpec {
  kind: SyntheticDatasetName
  n: number
  /** moons, circles: std of the Gaussian added to each coordinate; spiral: to each angle. */
  noise: number
  /** spiral only (moons and circles have 2). */
  classes?: number
}

export { CIRCLES_FACTOR }

function randn(generator: Generator, n: number): Float32Array {
  const out = new Float32Array(n)
  normalFill(generator, out, 0, 1)
  return out
}

/** Rows in double → float32, then `+ randn(n, 2) * noise` in float32 (no draw when noise is 0). */
function withNoise(generator: Generator, rows: [number, number][], noise: number): Tensor {
  const data = new Float32Array(rows.flat())
  if (noise > 0) {
    const z = randn(generator, data.length)
    const scale = Math.fround(noise)
    for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i] + Math.fround(scale * z[i]))
  }
  return new Tensor(data, [rows.length, 2])
}

const halves = (n: number): [number, number] => [Math.floor(n / 2), n - Math.floor(n / 2)]

export function moons(generator: Generator, n: number, noise: number): ClassificationData {
  const [outer, inner] = halves(n)
  const angle = (i: number, m: number): number => (m > 1 ? (Math.PI * i) / (m - 1) : 0)
  const rows: [number, number][] = []
  for (let i = 0; i < outer; i++) rows.push([Math.cos(angle(i, outer)), Math.sin(angle(i, outer))])
  for (let i = 0; i < inner; i++) rows.push([1 - Math.cos(angle(i, inner)), 1 - Math.sin(angle(i, inner)) - 0.5])
  return { x: withNoise(generator, rows, noise), labels: [...Array(outer).fill(0), ...Array(inner).fill(1)], classes: 2 }
}

export function circles(generator: Generator, n: number, noise: number): ClassificationData {
  const [outer, inner] = halves(n)
  const rows: [number, number][] = []
  for (let i = 0; i < outer; i++) rows.push([Math.cos((2 * Math.PI * i) / outer), Math.sin((2 * Math.PI * i) / outer)])
  for (let i = 0; i < inner; i++) {
    rows.push([CIRCLES_FACTOR * Math.cos((2 * Math.PI * i) / inner), CIRCLES_FACTOR * Math.sin((2 * Math.PI * i) / inner)])
  }
  return { x: withNoise(generator, rows, noise), labels: [...Array(outer).fill(0), ...Array(inner).fill(1)], classes: 2 }
}

export function spiral(generator: Generator, n: number, classes: number, noise: number): ClassificationData {
  const z = randn(generator, n)
  const data = new Float32Array(2 * n)
  const labels: number[] = []
  let j = 0
  for (let k = 0; k < classes; k++) {
    const m = Math.floor(n / classes) + (k < n % classes ? 1 : 0)
    for (let i = 0; i < m; i++, j++) {
      const r = m > 1 ? i / (m - 1) : 0
      const t = 4 * k + 4 * r + noise * z[j]
      data[2 * j] = r * Math.sin(t)
      data[2 * j + 1] = r * Math.cos(t)
      labels.push(k)
    }
  }
  return { x: new Tensor(data, [n, 2]), labels, classes }
}

export function syntheticDataset(generator: Generator, spec: SyntheticSpec): ClassificationData {
  switch (spec.kind) {
    case 'moons':
      return moons(generator, spec.n, spec.noise)
    case 'circles':
      return circles(generator, spec.n, spec.noise)
    case 'spiral':
      return spiral(generator, spec.n, spec.classes ?? 3, spec.noise)
  }
}
