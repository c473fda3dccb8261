/**
 * The loss chart's smoothing: an exponential moving average debiased as TensorBoard's is, so the
 * curve starts at the first loss instead of at zero:
 *   m_t = w · m_{t−1} + (1 − w) · y_t,  m_{−1} = 0,   smoothed_t = m_t / (1 − w^{t+1})
 * w = 0 draws the raw losses. A non-finite loss (a diverged run) is drawn as it is and leaves the
 * average untouched, so one `inf` does not flatten the rest of the curve.
 */
export class Ema {
  #mean = 0
  #decay = 1
  constructor(readonly weight: number) {
    if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`)
  }

  /** The smoothed value after taking in `y`. */
  next(y: number): number {
    if (!Number.isFinite(y)) return y
    this.#mean = this.weight * this.#mean + (1 - this.weight) * y
    this.#decay *= this.weight
    return this.#mean / (1 - this.#decay)
  }
}

/** `values` smoothed with weight `weight`, every element. */
export function smooth(values: ArrayLike<number>, weight: number): Float64Array {
  const ema = new Ema(weight)
  const out = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = ema.next(values[i])
  return out
}
