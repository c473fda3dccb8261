/**
 * `torch.Generator` for the CPU (ATen/CPUGeneratorImpl.cpp): an mt19937 engine plus the cached
 * second value of the double Box-Muller (the `numel < 16` path of `normal_`).
 */

import { MT19937 } from './mt19937'

/** `c10::detail::default_rng_seed_val`: what a `torch.Generator()` starts from in C++. */
export const DEFAULT_SEED = 67280421310721n

const U64 = 1n << 64n
const I64_MIN = -(1n << 63n)

/**
 * The seed torch stores for `manual_seed(seed)`: taken modulo 2^64 (so -1 becomes 2^64 - 1).
 * Like Python's `torch.manual_seed`, non-integers are truncated (`int(seed)`) and values outside
 * [-2^63, 2^64) are refused (torch raises "Overflow when unpacking long long").
 */
export function normalizeSeed(seed: number | bigint): bigint {
  let s: bigint
  if (typeof seed === 'bigint') s = seed
  else if (Number.isFinite(seed)) s = BigInt(Math.trunc(seed))
  else throw new RangeError(`manualSeed: seed must be a finite number, got ${seed}`)
  if (s < I64_MIN || s >= U64) {
    throw new RangeError(`manualSeed: seed ${s} is outside [-2^63, 2^64)`)
  }
  return BigInt.asUintN(64, s)
}

export class Generator {
  private engine = new MT19937()
  private seedValue = DEFAULT_SEED
  /**
   * `next_double_normal_sample`: set by the double Box-Muller, consumed by the next draw on that
   * path. It survives other calls (e.g. a `randn(40)` in between) until `manualSeed`.
   */
  nextDoubleNormal: number | null = null

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed)
  }

  /** `set_current_seed`: reseeds the engine from the low 32 bits and clears the cached normal. */
  manualSeed(seed: number | bigint): this {
    this.seedValue = normalizeSeed(seed)
    this.engine.seed(Number(this.seedValue & 0xffffffffn))
    this.nextDoubleNormal = null
    return this
  }

  /** The seed as torch reports it (`initial_seed()`), in [0, 2^64). */
  initialSeed(): bigint {
    return this.seedValue
  }

  /** One 32-bit draw, as an unsigned integer. */
  random(): number {
    return this.engine.nextU32()
  }

  /** Two draws as one 64-bit value: the first draw is the high word. */
  random64(): bigint {
    const hi = this.engine.nextU32()
    const lo = this.engine.nextU32()
    return (BigInt(hi) << 32n) | BigInt(lo)
  }

  /** `uniform_real_distribution<float>(0,1)`: one draw, 24 bits, exact on a 2^-24 grid in [0,1). */
  uniform24(): number {
    return (this.engine.nextI32() & 0xffffff) * 2 ** -24
  }

  /**
   * `uniform_real_distribution<double>(0,1)`: the low 53 bits of `random64()` times 2^-53, without
   * going through BigInt (hi contributes its low 21 bits).
   */
  uniform53(): number {
    const hi = this.engine.nextI32()
    const lo = this.engine.nextU32()
    return ((hi & 0x1fffff) * 2 ** 32 + lo) * 2 ** -53
  }

  /** An independent generator at the same point of the same stream (seed and cache included). */
  clone(): Generator {
    const g = new Generator(this.seedValue)
    g.engine = this.engine.clone()
    g.nextDoubleNormal = this.nextDoubleNormal
    return g
  }
}

/**
 * The process-wide generator behind `torch.manual_seed` / `torch.randn` without `generator=`.
 * Python torch seeds its default generator unpredictably at start-up; we start from
 * DEFAULT_SEED so that an unseeded run is still reproducible.
 */
export const defaultGenerator = new Generator()

/** `torch.manual_seed(seed)`: reseeds the default generator and returns it. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed)
}
