import { arithFor, betas, flag, gradientLine, nextStep, num, stepLine, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/** torch.optim.Adamax's box; the arithmetic of `adamaxUpdate` (adamax.ts). */
export function explainAdamax(input: ExplainInput): UpdateBox {
  const { R, add, addcdiv, lerp, mul, sum } = arithFor(input.dtype)
  const { group } = input
  const lr = num(group, 'lr'), eps = num(group, 'eps'), weightDecay = num(group, 'weight_decay')
  const [beta1, beta2] = betas(group)
  const maximize = flag(group, 'maximize')
  const t = nextStep(input.state)
  const lines: BoxLine[] = [stepLine(t)]
  const theta = input.param

  let g = (lines[lines.length] = gradientLine(input.grad, maximize)).value
  if (weightDecay !== 0) {
    g = add(g, theta, R(weightDecay))
    lines.push({ symbol: 'g_t', formula: 'g_t + λ·θ_{t−1}', value: g, condition: 'λ ≠ 0' })
  }
  const m = lerp(input.state.exp_avg ?? 0, g, R(1 - beta1))
  lines.push({ symbol: 'm_t', formula: 'β1·m_{t−1} + (1 − β1)·g_t', value: m, stateKey: 'exp_avg', computedAs: 'lerp(m_{t−1}, g_t, 1 − β1)' })
  const u = Math.max(mul(input.state.exp_inf ?? 0, R(beta2)), sum(Math.abs(g), R(eps)))
  lines.push({ symbol: 'u_t', formula: 'max(β2·u_{t−1}, |g_t| + ε)', value: u, stateKey: 'exp_inf' })
  const clr = lr / (1 - beta1 ** t)
  const param = addcdiv(theta, m, u, R(-clr))
  lines.push({ symbol: 'θ_t', formula: 'θ_{t−1} − γ·m_t / ((1 − β1ᵗ)·u_t)', value: param, computedAs: 'θ_{t−1} − (γ / (1 − β1ᵗ))·m_t / u_t' })
  return {
    optimizer: 'Adamax',
    t,
    inputs: [
      { symbol: 'γ', name: 'lr', value: lr },
      { symbol: 'β1', name: 'betas[0]', value: beta1 },
      { symbol: 'β2', name: 'betas[1]', value: beta2 },
      { symbol: 'ε', name: 'eps', value: eps },
      { symbol: 'λ', name: 'weight_decay', value: weightDecay },
      { symbol: 'maximize', name: 'maximize', value: maximize }
    ],
    lines,
    param,
    state: { step: t, exp_avg: m, exp_inf: u }
  }
}
