/**
 * The sum-vs-mean explainer's claims, checked with the engine: with SGD, "sum" at lr and "mean" at
 * lr·N·D_out train the same weights (the losses differ by exactly the factor, up to float32
 * rounding); Adam-family optimizers divide the gradient's scale out, so the same lr nearly does.
 */
import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import { LESSON_CONFIG, type LabConfig } from '../../src-main/shared/config'
import { rel } from '../../src-main/shared/parity'
import { equivalentSwitch, reductionFactor, scaleBehaviour } from '../../src-renderer/src/lib/reduction-equivalence'

const SMALLER: LabConfig = { ...LESSON_CONFIG, n: 64, dIn: 200, hidden: [50], dOut: 10 }

function curve(config: LabConfig): number[] {
  const session = new TrainingSession(config)
  return Array.from({ length: config.steps }, () => session.step())
}

/** Largest relative gap between "sum" losses and factor × "mean" losses. */
function worstGap(sum: LabConfig, mean: LabConfig): number {
  const { factor } = reductionFactor(sum)
  const a = curve(sum)
  const b = curve(mean)
  return Math.max(...a.map((loss, t) => rel(loss, factor * b[t])))
}

function switched(config: LabConfig): LabConfig {
  const s = equivalentSwitch(config)
  return {
    ...config,
    reduction: s.reduction,
    hyper: { ...config.hyper, lr: s.lr, ...(s.weightDecay !== undefined ? { weight_decay: s.weightDecay } : {}) }
  }
}

describe('reduction factor and the equivalent switch', () => {
  it('is N·D_out = 640 for the lesson, N for CrossEntropyLoss', () => {
    expect(reductionFactor(LESSON_CONFIG)).toEqual({ factor: 640, expression: 'N·D_out' })
    expect(reductionFactor({ n: 200, dOut: 2, loss: 'cross_entropy' })).toEqual({ factor: 200, expression: 'N' })
  })

  it('SGD: lr × 640 to "mean", ÷ 640 back (written without a binary tail); Adam keeps its lr', () => {
    const sgd: LabConfig = { ...LESSON_CONFIG, optimizer: 'SGD', hyper: { lr: 1e-6 } }
    expect(equivalentSwitch(sgd)).toEqual({ reduction: 'mean', scale: 1 / 640, lr: 6.4e-4 })
    expect(equivalentSwitch({ ...sgd, reduction: 'mean', hyper: { lr: 6.4e-4 } })).toMatchObject({ reduction: 'sum', scale: 640, lr: 1e-6 })
    expect(equivalentSwitch(LESSON_CONFIG)).toEqual({ reduction: 'mean', scale: 1 / 640, lr: 1e-4 })
    expect(scaleBehaviour('SGD')).toBe('linear')
    for (const name of ['Adam', 'AdamW', 'NAdam', 'Adamax', 'RMSprop', 'Adagrad'] as const) expect(scaleBehaviour(name)).toBe('normalized')
  })

  it('coupled weight_decay follows the gradient scale; AdamW\'s decoupled one does not', () => {
    expect(equivalentSwitch({ ...LESSON_CONFIG, optimizer: 'SGD', hyper: { lr: 1e-6, weight_decay: 0.64 } }).weightDecay).toBe(0.001)
    expect(equivalentSwitch({ ...LESSON_CONFIG, optimizer: 'AdamW', hyper: { lr: 1e-3, weight_decay: 0.01 } }).weightDecay).toBeUndefined()
  })
})

describe('the claims, with the engine (float32)', () => {
  it.each([
    ['plain', { lr: 1e-5 }],
    ['momentum 0.9, Nesterov', { lr: 1e-5, momentum: 0.9, nesterov: true }],
    ['weight_decay 0.64', { lr: 1e-5, weight_decay: 0.64 }]
  ])('SGD (%s): "sum" at lr and "mean" at the switched lr give the same curve up to rounding', (_, hyper) => {
    const sum: LabConfig = { ...SMALLER, optimizer: 'SGD', hyper, steps: 60 }
    expect(worstGap(sum, switched(sum))).toBeLessThan(1e-5)
  })

  it('Adam: the same lr nearly gives the same curve; SGD at the same lr does not', () => {
    const adam: LabConfig = { ...SMALLER, optimizer: 'Adam', hyper: { lr: 1e-3 }, steps: 60 }
    expect(switched(adam).hyper.lr).toBe(1e-3)
    expect(worstGap(adam, switched(adam))).toBeLessThan(1e-3)
    const sgd: LabConfig = { ...SMALLER, optimizer: 'SGD', hyper: { lr: 1e-5 }, steps: 60 }
    expect(worstGap(sgd, { ...sgd, reduction: 'mean' })).toBeGreaterThan(1e-2)
  })
})
