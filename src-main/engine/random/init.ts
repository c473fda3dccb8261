/**
 * `nn.Linear(in, out)` construction: `reset_parameters()` from torch/nn/modules/linear.py with
 * `kaiming_uniform_` from torch/nn/init.py (identical in torch 1.13 and 2.13).
 */

import type { Generator } from './generator'
import { uniformFill } from './uniform'
import { allocateLasting } from '../tensor/dtype'

/**
 * `kaiming_uniform_`'s bound for mode='fan_in', nonlinearity='leaky_relu', evaluated in double
 * step by step as Python does: it can differ from 1/sqrt(fan_in) in the last bit
 * (a*a for a = sqrt(5) is 5.000000000000001).
 */
export function kaimingUniformBound(fanIn: number, a = Math.sqrt(5)): number {
  const gain = Math.sqrt(2.0 / (1 + a * a)) // calculate_gain('leaky_relu', a); a*a == a**2 correctly rounded
  const std = gain / Math.sqrt(fanIn)
  return Math.sqrt(3.0) * std
}

/** The bias bound of `Linear.reset_parameters`: 1/sqrt(fan_in), or 0 when fan_in is 0. */
export function linearBiasBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0
}

export interface LinearParams {
  /** Row-major [outFeatures, inFeatures]. */
  weight: Float32Array
  /** [outFeatures]. */
  bias: Float32Array
}

/**
 * A freshly constructed `nn.Linear(inFeatures, outFeatures)`: weight draws first (w[o][i], i
 * fastest), then the bias. A zero-element weight draws nothing (kaiming_uniform_ returns early).
 */
export function linearInit(gen: Generator, inFeatures: number, outFeatures: number): LinearParams {
  if (!Number.isInteger(inFeatures) || !Number.isInteger(outFeatures) || inFeatures < 0 || outFeatures < 0) {
    throw new RangeError(`Linear(${inFeatures}, ${outFeatures}): sizes must be non-negative integers`)
  }
  const weight = allocateLasting('float32', outFeatures * inFeatures) as Float32Array
  const bias = new Float32Array(outFeatures)
  if (weight.length > 0) {
    const bound = kaimingUniformBound(inFeatures)
    uniformFill(gen, weight, -bound, bound)
  }
  const bb = linearBiasBound(inFeatures)
  uniformFill(gen, bias, bb === 0 ? 0 : -bb, bb) // Python's -0 is the int 0 here, not -0.0
  return { weight, bias }
}
