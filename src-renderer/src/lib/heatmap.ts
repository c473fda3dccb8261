/**
 * Pure drawing maths of the microscope's heatmap and histogram: a matrix (or a bias as one row)
 * mapped to RGBA pixels on a diverging scale centred at 0, at one pixel per weight up to
 * `MAX_SIDE` a side and block-downsampled beyond (each block shows its value of largest magnitude,
 * so a lone outlier stays visible), and values counted into equal bins.
 */

/** Largest number of pixels drawn along one side; wider matrices are downsampled. */
export const MAX_SIDE = 1024

/** Rows and columns of a parameter drawn as a grid: 2-D as it is, anything else as one row. */
export function gridOf(shape: readonly number[]): { rows: number; cols: number } {
  if (shape.length === 2) return { rows: shape[0], cols: shape[1] }
  return { rows: 1, cols: shape.reduce((a, b) => a * b, 1) }
}

// ColorBrewer RdBu ends (colour-blind safe), through a light neutral at 0.
const NEGATIVE = [33, 102, 172]
const ZERO = [247, 247, 247]
const POSITIVE = [178, 24, 43]
const MISSING = [128, 128, 128]

/** The colour of `value` on the diverging scale [−limit, limit]; NaN is grey. */
export function divergingColour(value: number, limit: number): [number, number, number] {
  if (Number.isNaN(value)) return MISSING as [number, number, number]
  const s = limit > 0 ? Math.max(-1, Math.min(1, value / limit)) : 0
  const end = s < 0 ? NEGATIVE : POSITIVE
  const w = Math.abs(s)
  return [0, 1, 2].map((c) => Math.round(ZERO[c] + (end[c] - ZERO[c]) * w)) as [number, number, number]
}

/** The scale's limit: the largest magnitude among min and max (0 when there is none). */
export function scaleLimit(min: number | null, max: number | null): number {
  return Math.max(Math.abs(min ?? 0), Math.abs(max ?? 0))
}

export interface HeatmapImage {
  width: number
  height: number
  /** Weights per pixel along rows and columns (1 when drawn one pixel per weight). */
  rowBlock: number
  colBlock: number
  /** RGBA, row-major, `width × height × 4`. */
  pixels: Uint8ClampedArray
}

/** Pixels of a flat row-major grid of `rows × cols` values. */
export function heatmapPixels(values: ArrayLike<number>, rows: number, cols: number, limit: number): HeatmapImage {
  const rowBlock = Math.ceil(rows / MAX_SIDE)
  const colBlock = Math.ceil(cols / MAX_SIDE)
  const height = Math.ceil(rows / rowBlock)
  const width = Math.ceil(cols / colBlock)
  const pixels = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let shown = NaN
      for (let r = y * rowBlock; r < Math.min(rows, (y + 1) * rowBlock); r++) {
        for (let c = x * colBlock; c < Math.min(cols, (x + 1) * colBlock); c++) {
          const v = values[r * cols + c]
          if (Number.isNaN(shown) || Math.abs(v) > Math.abs(shown)) shown = v
        }
      }
      const [red, green, blue] = divergingColour(shown, limit)
      const at = (y * width + x) * 4
      pixels[at] = red
      pixels[at + 1] = green
      pixels[at + 2] = blue
      pixels[at + 3] = 255
    }
  }
  return { width, height, rowBlock, colBlock, pixels }
}

/** The weight under a point of the drawn image, given as fractions (0..1) of its width and height. */
export function weightAt(fx: number, fy: number, rows: number, cols: number): { row: number; col: number } {
  const clamp = (f: number, n: number): number => Math.min(n - 1, Math.max(0, Math.floor(f * n)))
  return { row: clamp(fy, rows), col: clamp(fx, cols) }
}

export interface Histogram {
  /** Left edge of each bin; every bin has width `width`. */
  edges: number[]
  width: number
  counts: number[]
  /** NaN values, left out of the bins. */
  missing: number
}

/** `bins` equal bins over [min, max] (the last one closed); one bin when every value is the same. */
export function histogram(values: ArrayLike<number>, bins: number, min: number | null, max: number | null): Histogram {
  let missing = 0
  if (min === null || max === null) return { edges: [], width: 0, counts: [], missing: values.length }
  const n = min === max ? 1 : bins
  const width = min === max ? 0 : (max - min) / n
  const counts = new Array<number>(n).fill(0)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (Number.isNaN(v)) {
      missing++
      continue
    }
    counts[width === 0 ? 0 : Math.min(n - 1, Math.floor((v - min) / width))]++
  }
  return { edges: counts.map((_, k) => min + k * width), width, counts, missing }
}
