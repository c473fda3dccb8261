import { arithFor, flag, gradientLine, nextStep, num, stepLine, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/** torch.optim.RMSprop's box; the arithmetic of `rmspropUpdate` (rmsprop.ts). */
export function explainRmsprop(input: ExplainInput): UpdateBox {
  const { R, add, addcmul, addcdiv, lerp, mul, sqrt, sum } = arithFor(input.dtype)
  const { group } = input
  const lr = num(group, 'lr'), alpha = num(group, 'alpha'), eps = num(group, 'eps'), momentum = num(group, 'momentum')
  const weightDecay = num(group, 'weight_decay'), centered = flag(group, 'centered'), maximize = flag(group, 'maximize')
  const t = nextStep(input.state)
  const lines: BoxLine[] = [stepLine(t)]
  const theta = input.param

  let g = (lines[lines.length] = gradientLine(input.grad, maximize)).value
  if (weightDecay !== 0) {
    g = add(g, theta, R(weightDecay))
    lines.push({ symbol: 'g_t', formula: 'g_t + λ·θ_{t−1}', value: g, condition: 'λ ≠ 0' })
  }
  const v = addcmul(mul(input.state.square_avg ?? 0, R(alpha)), g, g, R(1 - alpha))
  lines.push({ symbol: 'v_t', formula: 'α·v_{t−1} + (1 − α)·g_t²', value: v, stateKey: 'square_avg' })
  const state: Record<string, number> = { step: t, square_avg: v }
  let vTilde = v
  if (centered) {
    const gAve = (state.grad_avg = lerp(input.state.grad_avg ?? 0, g, R(1 - alpha)))
    lines.push({ symbol: 'g^ave_t', formula: 'α·g^ave_{t−1} + (1 − α)·g_t', value: gAve, condition: 'centered', stateKey: 'grad_avg', computedAs: 'lerp(g^ave_{t−1}, g_t, 1 − α)' })
    vTilde = addcmul(v, gAve, gAve, -1)
    lines.push({ symbol: 'ṽ_t', formula: 'v_t − (g^ave_t)²', value: vTilde, condition: 'centered' })
  }
  const avg = sum(sqrt(vTilde), R(eps))
  let param: number
  if (momentum > 0) {
    const b = (state.momentum_buffer = addcdiv(mul(input.state.momentum_buffer ?? 0, R(momentum)), g, avg, 1))
    lines.push({ symbol: 'b_t', formula: 'μ·b_{t−1} + g_t / (√ṽ_t + ε)', value: b, condition: 'μ > 0', stateKey: 'momentum_buffer' })
    param = add(theta, b, R(-lr))
    lines.push({ symbol: 'θ_t', formula: 'θ_{t−1} − γ·b_t', value: param, condition: 'μ > 0' })
  } else {
    param = addcdiv(theta, g, avg, R(-lr))
    lines.push({ symbol: 'θ_t', formula: 'θ_{t−1} − γ·g_t / (√ṽ_t + ε)', value: param })
  }
  return {
    optimizer: 'RMSprop',
    t,
    inputs: [
      { symbol: 'γ', name: 'lr', value: lr },
      { symbol: 'α', name: 'alpha', value: alpha },
      { symbol: 'ε', name: 'eps', value: eps },
      { symbol: 'λ', name: 'weight_decay', value: weightDecay },
      { symbol: 'μ', name: 'momentum', value: momentum },
      { symbol: 'centered', name: 'centered', value: centered },
      { symbol: 'maximize', name: 'maximize', value: maximize }
    ],
    lines,
    param,
    state
  }
}
