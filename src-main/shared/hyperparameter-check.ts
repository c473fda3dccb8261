/**
 * PyTorch's verdict on hyperparameter values, asked of the optimizers themselves: the optimizer is
 * constructed on a one-element dummy weight, so its own checks run ("Invalid learning rate: -1",
 * "Nesterov momentum requires a momentum and zero dampening") before any real tensor is allocated.
 * The messages are the constructors'; nothing here restates a range.
 *
 * PyTorch lets a few values through that can only end in a NaN loss (`lr=inf`, `eps=nan` where it
 * does not check `eps`, ...). Those are refused too, in the same words: the message the constructor
 * gives for NaN in that place, with the actual value.
 */
import type { OptimizerName } from './config'
import { createOptimizer } from '../engine/optim'
import { formatNumber } from '../engine/optim/optimizer'
import { Parameter } from '../engine/tensor/tensor'

export interface HyperparameterProblem {
  /** The hyperparameter at fault, e.g. `lr` or `betas`. */
  field: string
  /** PyTorch's message, e.g. "Invalid learning rate: -1". */
  message: string
}

function construct(optimizer: OptimizerName, hyper: Record<string, unknown>): Error | null {
  try {
    createOptimizer(optimizer, [new Parameter(new Float32Array(1), [1])], hyper)
    return null
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

/** The constructor's message for `value` at `key` (or at `betas[index]`), as it words a NaN there. */
function nonFiniteMessage(optimizer: OptimizerName, key: string, value: number, index?: number): string {
  const probe = index === undefined ? Number.NaN : index === 0 ? [Number.NaN, 0.999] : [0.9, Number.NaN]
  const error = construct(optimizer, { lr: 1e-3, [key]: probe })
  if (error && /\bnan$/.test(error.message)) return error.message.replace(/nan$/, formatNumber(value))
  return `Invalid ${key} value: ${formatNumber(value)}`
}

/** The first hyperparameter PyTorch (or finiteness) refuses, or null when all are fine. */
export function checkHyperparameters(optimizer: OptimizerName, hyper: Record<string, unknown>): HyperparameterProblem | null {
  const error = construct(optimizer, hyper)
  if (error) {
    // Which key: the first that fails on its own (others at their defaults); a combination
    // (nesterov with momentum 0) is blamed on the key that asks for it.
    const keys = Object.keys(hyper).filter((k) => hyper[k] !== undefined)
    const alone = keys.find((k) => construct(optimizer, { lr: 1e-3, [k]: hyper[k] })?.message === error.message)
    return { field: alone ?? keys.find((k) => error.message.includes(k)) ?? 'lr', message: error.message }
  }
  for (const [key, value] of Object.entries(hyper)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return { field: key, message: nonFiniteMessage(optimizer, key, value) }
    if (Array.isArray(value)) {
      const index = value.findIndex((x) => typeof x === 'number' && !Number.isFinite(x))
      if (index >= 0) return { field: key, message: nonFiniteMessage(optimizer, key, value[index] as number, index) }
    }
  }
  return null
}
