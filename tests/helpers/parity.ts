import { expect } from 'vitest'
import type { LabConfig, OptimizerName } from '../../src-main/shared/config'

import { NOISE_FLOOR, familyTolerance, rel } from '../../src-main/shared/parity'

/** The rule itself lives in src-main/shared/parity.ts (the app's "matches PyTorch" check uses it too). */
export { NOISE_FLOOR, familyTolerance, rel }

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
