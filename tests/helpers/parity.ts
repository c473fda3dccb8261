import { expect } from 'vitest'
import type { LabConfig, OptimizerName } from '../../src-main/shared/config'

/** rel(a, b) = |a − b| / max(|a|, |b|) (DESIGN §4). */
export function rel(a: number, b: number): number {
  if (a === b) return 0
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))
}

/** Relative tolerance on loss[t] for t < 50, per optimizer family (torch-spec §7, DESIGN §4). */
export function familyTolerance(optimizer: OptimizerName): number {
  switch (optimizer) {
    case 'SGD':
      return 1e-6
    case 'RMSprop':
      return 1e-4
    case 'Adagrad':
    case 'Adadelta':
      return 1e-2
    default:
      return 1e-5
  }
}

/**
 * Below this fraction of loss[0] a float32 loss is rounding noise: RMSprop and Adagrad reach ~1e-12
 * there and two real PyTorch builds (1.13 reference BLAS, 2.13 MKL) then differ by up to ten
 * orders of magnitude from one step to the next.
 */
export const NOISE_FLOOR = 1e-9

/**
 * Our curve against PyTorch's: loss[0] within 1e-6, t < 50 within the family tolerance, and the
 * trend afterwards: the best loss so far within half an order of magnitude (|log10(a/b)| < 0.5)
 * while it is above the noise floor. The best-so-far curve is what a student reads off a chart;
 * on it the two real PyTorch builds agree within 0.01 on every fixture configuration, while single
 * late steps of adaptive optimizers spike at slightly different times in each build.
 * Reports the first failing step.
 */
export function expectCurveMatches(ours: number[], torch: number[], optimizer: OptimizerName): void {
  expect(ours.length).toBe(torch.length)
  const tolerance = familyTolerance(optimizer)
  const floor = NOISE_FLOOR * torch[0]
  let bestOurs = Infinity
  let bestTorch = Infinity
  for (let t = 0; t < torch.length; t++) {
    const a = ours[t]
    const b = torch[t]
    expect(Number.isFinite(a), `loss[${t}] is ${a}`).toBe(true)
    bestOurs = Math.min(bestOurs, a)
    bestTorch = Math.min(bestTorch, b)
    if (t === 0) expect(rel(a, b), `loss[0]: ours ${a}, torch ${b}`).toBeLessThanOrEqual(1e-6)
    else if (t < 50) expect(rel(a, b), `loss[${t}]: ours ${a}, torch ${b}`).toBeLessThanOrEqual(tolerance)
    else if (bestTorch > floor) {
      expect(Math.abs(Math.log10(bestOurs / bestTorch)), `best loss by step ${t}: ours ${bestOurs}, torch ${bestTorch}`).toBeLessThan(0.5)
    }
  }
}

/** The fixture's `{optimizer, kwargs}` and sizes as our configuration. */
export function configFrom(
  sizes: { seed: number; n: number; d_in: number; hidden: number[]; d_out: number; activation?: string; reduction?: string },
  optimizer: string,
  kwargs: Record<string, unknown>,
  dtype: LabConfig['dtype'],
  steps: number
): LabConfig {
  return {
    seed: sizes.seed,
    n: sizes.n,
    dIn: sizes.d_in,
    hidden: sizes.hidden,
    dOut: sizes.d_out,
    activation: (sizes.activation ?? 'relu') as LabConfig['activation'],
    reduction: (sizes.reduction ?? 'sum') as LabConfig['reduction'],
    dtype,
    optimizer: optimizer as OptimizerName,
    hyper: kwargs as unknown as LabConfig['hyper'],
    steps
  }
}
