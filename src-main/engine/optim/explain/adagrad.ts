import { arithFor, flag, gradientLine, nextStep, num, stepLine, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/** torch.optim.Adagrad's box; the arithmetic of `adagradUpdate` (adagrad.ts). */
export function explainAdagrad(input: ExplainInput): UpdateBox {
  const { R, add, addcmul, addcdiv, sqrt, sum } = arithFor(input.dtype)
  const { group } = input
  const lr = num(group, 'lr'), lrDecay = num(group, 'lr_decay'), eps = num(group, 'eps')
  const weightDecay = num(group, 'weight_decay'), maximize = flag(group, 'maximize')
  const initial = typeof group.initial_accumulator_value === 'number' ? group.initial_accumulator_value : 0
  const t = nextStep(input.state)
  const lines: BoxLine[] = [stepLine(t)]
  const theta = input.param

  let g = (lines[lines.length] = gradientLine(input.grad, maximize)).value
  const clr = lr / (1 + (t - 1) * lrDecay) // a Python float
  lines.push({ symbol: 'γ̃', formula: 'γ / (1 + (t − 1)·η)', value: clr })
  if (weightDecay !== 0) {
    g = add(g, theta, R(weightDecay))
    lines.push({ symbol: 'g_t', formula: 'g_t + λ·θ_{t−1}', value: g, condition: 'λ ≠ 0' })
  }
  // `sum` is created in the constructor, filled with initial_accumulator_value.
  const s = addcmul(input.state.sum ?? R(initial), g, g, 1)
  lines.push({ symbol: 'state_sum_t', formula: 'state_sum_{t−1} + g_t²', value: s, stateKey: 'sum' })
  const param = addcdiv(theta, g, sum(sqrt(s), R(eps)), R(-clr))
  lines.push({ symbol: 'θ_t', formula: 'θ_{t−1} − γ̃·g_t / (√state_sum_t + ε)', value: param })
  return {
    optimizer: 'Adagrad',
    t,
    inputs: [
      { symbol: 'γ', name: 'lr', value: lr },
      { symbol: 'η', name: 'lr_decay', value: lrDecay },
      { symbol: 'λ', name: 'weight_decay', value: weightDecay },
      { symbol: 'τ', name: 'initial_accumulator_value', value: initial },
      { symbol: 'ε', name: 'eps', value: eps },
      { symbol: 'maximize', name: 'maximize', value: maximize }
    ],
    lines,
    param,
    state: { step: t, sum: s }
  }
}
