/**
 * The "matches PyTorch" rule, shared by the app (a preset run against its shipped reference) and
 * the tests (our curves against the torch fixtures).
 */
import type { OptimizerName } from './config'

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

/** Below this fraction of loss[0] a float32 loss is rounding noise (see tests/helpers/parity.ts). */
export const NOISE_FLOOR = 1e-9

export type CurveVerdict = { matches: true } | { matches: false; step: number; ours: number; torch: number; reason: string }

/**
 * Our curve against PyTorch's: loss[0] within 1e-6, t < 50 within the family tolerance, afterwards
 * the best loss so far within half an order of magnitude while above the noise floor. The first
 * step that breaks the rule, or a match. A curve shorter than PyTorch's is compared as far as it goes.
 */
export function compareCurves(ours: ArrayLike<number>, torch: ArrayLike<number>, optimizer: OptimizerName): CurveVerdict {
  const tolerance = familyTolerance(optimizer)
  const floor = NOISE_FLOOR * torch[0]
  let bestOurs = Infinity
  let bestTorch = Infinity
  const length = Math.min(ours.length, torch.length)
  for (let t = 0; t < length; t++) {
    const a = ours[t]
    const b = torch[t]
    if (!Number.isFinite(a)) return { matches: false, step: t, ours: a, torch: b, reason: `loss[${t}] is ${a}` }
    bestOurs = Math.min(bestOurs, a)
    bestTorch = Math.min(bestTorch, b)
    const limit = t === 0 ? 1e-6 : tolerance
    if (t < 50 && rel(a, b) > limit) return { matches: false, step: t, ours: a, torch: b, reason: `rel ${rel(a, b)} > ${limit}` }
    if (t >= 50 && bestTorch > floor && Math.abs(Math.log10(bestOurs / bestTorch)) >= 0.5) {
      return { matches: false, step: t, ours: bestOurs, torch: bestTorch, reason: 'best loss so far differs by half an order of magnitude' }
    }
  }
  return { matches: true }
}
