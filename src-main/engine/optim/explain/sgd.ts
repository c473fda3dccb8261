import { arithFor, flag, gradientLine, num, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/** torch.optim.SGD's box; the arithmetic of `sgdUpdate` (sgd.ts). */
export function explainSgd(input: ExplainInput): UpdateBox {
  const { R, add, mul } = arithFor(input.dtype)
  const { group } = input
  const lr = num(group, 'lr'), momentum = num(group, 'momentum'), dampening = num(group, 'dampening')
  const weightDecay = num(group, 'weight_decay'), nesterov = flag(group, 'nesterov'), maximize = flag(group, 'maximize')
  const lines: BoxLine[] = []
  const state: Record<string, number> = {}
  const theta = input.param

  let g = (lines[lines.length] = gradientLine(input.grad, maximize)).value
  if (weightDecay !== 0) {
    g = add(g, theta, R(weightDecay))
    lines.push({ symbol: 'g_t', formula: 'g_t + λ·θ_{t−1}', value: g, condition: 'λ ≠ 0' })
  }
  if (momentum !== 0) {
    const previous = input.state.momentum_buffer
    let b: number
    if (previous === undefined) {
      // The buffer is created on the first step and starts as g itself (no dampening yet).
      b = g
      lines.push({ symbol: 'b_t', formula: 'g_t', value: b, condition: 'μ ≠ 0, t = 1', stateKey: 'momentum_buffer' })
    } else {
      b = add(mul(previous, R(momentum)), g, R(1 - dampening))
      lines.push({ symbol: 'b_t', formula: 'μ·b_{t−1} + (1 − τ)·g_t', value: b, condition: 'μ ≠ 0, t > 1', stateKey: 'momentum_buffer' })
    }
    state.momentum_buffer = b
    if (nesterov) {
      g = add(g, b, R(momentum))
      lines.push({ symbol: 'g_t', formula: 'g_t + μ·b_t', value: g, condition: 'nesterov' })
    } else {
      g = b
      lines.push({ symbol: 'g_t', formula: 'b_t', value: g, condition: 'not nesterov' })
    }
  }
  const param = add(theta, g, R(-lr))
  lines.push({ symbol: 'θ_t', formula: 'θ_{t−1} − γ·g_t', value: param })
  return {
    optimizer: 'SGD',
    t: null,
    inputs: [
      { symbol: 'γ', name: 'lr', value: lr },
      { symbol: 'μ', name: 'momentum', value: momentum },
      { symbol: 'τ', name: 'dampening', value: dampening },
      { symbol: 'λ', name: 'weight_decay', value: weightDecay },
      { symbol: 'nesterov', name: 'nesterov', value: nesterov },
      { symbol: 'maximize', name: 'maximize', value: maximize }
    ],
    lines,
    param,
    state
  }
}
