/**
 * Every step's loss of one run, kept in full in a growable Float64Array. The array is `$state.raw`
 * (replaced when it grows, never proxied); `length` is the reactive signal readers depend on.
 */
export class LossSeries {
  values = $state.raw(new Float64Array(256))
  length = $state(0)

  /** Write losses for steps `from, from + 1, ...`; writing a step twice keeps the later value. */
  set(from: number, losses: ArrayLike<number>): void {
    const end = from + losses.length
    if (end > this.values.length) {
      let capacity = this.values.length
      while (capacity < end) capacity *= 2
      const grown = new Float64Array(capacity)
      grown.set(this.values.subarray(0, this.length))
      this.values = grown
    }
    for (let i = 0; i < losses.length; i++) this.values[from + i] = losses[i]
    if (end > this.length) this.length = end
  }

  at(step: number): number {
    return this.values[step]
  }

  /** The most recent loss, or null before the first step. */
  get last(): number | null {
    return this.length > 0 ? this.values[this.length - 1] : null
  }
}
