/**
 * Min–max decimation kept up to date as losses arrive, so what the chart holds stays bounded however
 * long a run gets: steps fall into buckets of `width` steps, each bucket keeps its lowest and highest
 * point (real steps and real losses), and when there are more than `maxBuckets` buckets, neighbours
 * merge and `width` doubles. Every loss itself stays in the run's Float64Array for export.
 */
export interface Point {
  x: number
  y: number
}

export class MinMaxDecimator {
  /** Steps per bucket (a power of two). */
  width = 1
  /** Steps consumed so far (the next step expected is `length`). */
  length = 0
  private min: Point[] = []
  private max: Point[] = []

  constructor(readonly maxBuckets = 2048) {}

  /** Takes the losses of steps `length, length + 1, ...` from `losses`, up to `count`. */
  append(losses: { at(step: number): number }, count: number): void {
    for (let step = this.length; step < count; step++) this.push(step, losses.at(step))
    this.length = Math.max(this.length, count)
  }

  /** The bucket extremes in step order: at most 2 × maxBuckets points. */
  points(): Point[] {
    const out: Point[] = []
    for (let b = 0; b < this.min.length; b++) {
      const lo = this.min[b]
      const hi = this.max[b]
      if (lo.x === hi.x) out.push(lo)
      else if (lo.x < hi.x) out.push(lo, hi)
      else out.push(hi, lo)
    }
    return out
  }

  private push(step: number, value: number): void {
    const b = Math.floor(step / this.width)
    if (b >= this.min.length) {
      const point = { x: step, y: value }
      this.min.push(point)
      this.max.push(point)
      if (this.min.length > this.maxBuckets) this.merge()
      return
    }
    if (value < this.min[b].y) this.min[b] = { x: step, y: value }
    if (value > this.max[b].y) this.max[b] = { x: step, y: value }
  }

  /** Halves the number of buckets: each pair becomes one, twice as wide. */
  private merge(): void {
    const min: Point[] = []
    const max: Point[] = []
    for (let b = 0; b < this.min.length; b += 2) {
      const [lo1, hi1, lo2, hi2] = [this.min[b], this.max[b], this.min[b + 1], this.max[b + 1]]
      min.push(lo2 && lo2.y < lo1.y ? lo2 : lo1)
      max.push(hi2 && hi2.y > hi1.y ? hi2 : hi1)
    }
    this.min = min
    this.max = max
    this.width *= 2
  }
}
