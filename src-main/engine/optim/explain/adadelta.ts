import { arithFor, flag, gradientLine, nextStep, num, stepLine, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/** torch.optim.Adadelta's box; the arithmetic of `adadeltaUpdate` (adadelta.ts). */
export function explainAdadelta(input: ExplainInput): UpdateBox {
  const { R, add, addcmul, div, mul, sqrt, sum } = arithFor(input.dtype)
  const { group } = input
  const lr = num(group, 'lr'), rho = num(group, 'rho'), eps = num(group, 'eps')
  const weightDecay = num(group, 'weight_decay'), maximize = flag(group, 'maximize')
  const t = nextStep(input.state)
  const lines: BoxLine[] = [stepLine(t)]
  const theta = input.param

  let g = (lines[lines.length] = gradientLine(input.grad, maximize)).value
  if (weightDecay !== 0) {
    g = add(g, theta, R(weightDecay))
    lines.push({ symbol: 'g_t', formula: 'g_t + λ·θ_{t−1}', value: g, condition: 'λ ≠ 0' })
  }
  const v = addcmul(mul(input.state.square_avg ?? 0, R(rho)), g, g, R(1 - rho))
  lines.push({ symbol: 'v_t', formula: 'ρ·v_{t−1} + (1 − ρ)·g_t²', value: v, stateKey: 'square_avg' })
  const uPrevious = input.state.acc_delta ?? 0
  const delta = mul(div(sqrt(sum(uPrevious, R(eps))), sqrt(sum(v, R(eps)))), g)
  lines.push({ symbol: 'Δx_t', formula: '√(u_{t−1} + ε) / √(v_t + ε) · g_t', value: delta })
  const u = addcmul(mul(uPrevious, R(rho)), delta, delta, R(1 - rho))
  lines.push({ symbol: 'u_t', formula: 'ρ·u_{t−1} + (1 − ρ)·Δx_t²', value: u, stateKey: 'acc_delta' })
  const param = add(theta, delta, R(-lr))
  lines.push({ symbol: 'θ_t', formula: 'θ_{t−1} − γ·Δx_t', value: param })
  return {
    optimizer: 'Adadelta',
    t,
    inputs: [
      { symbol: 'γ', name: 'lr', value: lr },
      { symbol: 'ρ', name: 'rho', value: rho },
      { symbol: 'ε', name: 'eps', value: eps },
      { symbol: 'λ', name: 'weight_decay', value: weightDecay },
      { symbol: 'maximize', name: 'maximize', value: maximize }
    ],
    lines,
    param,
    state: { step: t, square_avg: v, acc_delta: u }
  }
}
