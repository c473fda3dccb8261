/**
 * The 32-bit Mersenne Twister exactly as ATen's `at::mt19937` (ATen/core/MT19937RNGEngine.h),
 * which is the reference MT19937: same stream as `std::mt19937` and numpy's `RandomState`.
 */

export const MT_N = 624
const MT_M = 397
const MATRIX_A = 0x9908b0df

export class MT19937 {
  /**
   * The 624-word state, held as int32 (same bits): only bitwise ops touch it, and signed words
   * stay small integers in V8 where uint32 words above 2^31 would be boxed as doubles.
   */
  readonly state = new Int32Array(MT_N)
  /** Draws left before the state is regenerated. 1 after seeding: the first draw regenerates. */
  left = 1
  /** Index of the next state word to temper. */
  next = 0

  constructor(seed = 5489) {
    this.seed(seed)
  }

  /** `init_genrand`: only the low 32 bits of `seed32` are used. */
  seed(seed32: number): void {
    const st = this.state
    st[0] = seed32
    for (let j = 1; j < MT_N; j++) {
      const p = st[j - 1]
      st[j] = Math.imul(1812433253, (p ^ (p >>> 30)) >>> 0) + j
    }
    this.left = 1
    this.next = 0
  }

  /** Next tempered 32-bit output, as an unsigned integer. */
  nextU32(): number {
    return this.nextI32() >>> 0
  }

  /** Next tempered output with the same 32 bits read as a signed int32 (cheaper for masking). */
  nextI32(): number {
    if (--this.left === 0) this.regenerate()
    let y = this.state[this.next++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    return y ^ (y >>> 18)
  }

  /** `next_state()`. In place, so entries from i >= 227 on read already-updated words, as ATen does. */
  private regenerate(): void {
    const st = this.state
    this.left = MT_N
    this.next = 0
    for (let i = 0; i < MT_N; i++) {
      const v = st[i + 1 === MT_N ? 0 : i + 1]
      const y = (st[i] & 0x80000000) | (v & 0x7fffffff)
      const k = i + MT_M < MT_N ? i + MT_M : i + MT_M - MT_N
      st[i] = st[k] ^ (y >>> 1) ^ (v & 1 ? MATRIX_A : 0)
    }
  }

  /** An independent copy with the same position in the stream. */
  clone(): MT19937 {
    const c = new MT19937(0)
    c.state.set(this.state)
    c.left = this.left
    c.next = this.next
    return c
  }
}
