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
 * Our curve against PyTorch's: loss[0] within 1e-6, t < 50 within the family tolerance, and the
 * trend afterwards (|log10(a/b)| < 0.5). Reports the first failing step.
 */
export function expectCurveMatches(ours: number[], torch: number[], optimizer: OptimizerName): void {
  expect(ours.length).toBe(torch.length)
  const tolerance = familyTolerance(optimizer)
  for (let t = 0; t < torch.length; t++) {
    const a = ours[t]
    const b = torch[t]
    if (t === 0) expect(rel(a, b), `loss[0]: ours ${a}, torch ${b}`).toBeLessThanOrEqual(1e-6)
    else if (t < 50) expect(rel(a, b), `loss[${t}]: ours ${a}, torch ${b}`).toBeLessThanOrEqual(tolerance)
    else expect(Math.abs(Math.log10(a / b)), `trend at step ${t}: ours ${a}, torch ${b}`).toBeLessThan(0.5)
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
