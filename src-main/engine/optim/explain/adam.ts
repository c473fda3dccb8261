import { arithFor, betas, flag, gradientLine, momentLines, nextStep, num, stepLine, weightDecayLines, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/**
 * torch.optim.Adam's box (and AdamW's: `decoupled_weight_decay`); the arithmetic of `adamUpdate`
 * (adam.ts). The docs divide m_t and v_t by their bias corrections; the kernel folds 1/(1 − β1ᵗ)
 * into the step size and divides √v_t by √(1 − β2ᵗ), so m̂_t and v̂_t are shown for reading only.
 */
export function explainAdam(input: ExplainInput, optimizer = 'Adam'): UpdateBox {
  const arith = arithFor(input.dtype)
  const { R, addcdiv, div, sqrt, sum } = arith
  const { group } = input
  const lr = num(group, 'lr'), eps = num(group, 'eps'), weightDecay = num(group, 'weight_decay')
  const [beta1, beta2] = betas(group)
  const amsgrad = flag(group, 'amsgrad'), maximize = flag(group, 'maximize'), decoupled = flag(group, 'decoupled_weight_decay')
  const t = nextStep(input.state)
  const biasCorrection1 = 1 - beta1 ** t // Python floats, in double
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t)
  const lines: BoxLine[] = [stepLine(t)]
  lines.push(gradientLine(input.grad, maximize))
  const { g, theta } = weightDecayLines(arith, lines, lines[lines.length - 1].value, input.param, lr, weightDecay, decoupled)
  const { m, v } = momentLines(arith, lines, input.state, g, beta1, beta2)
  lines.push({ symbol: 'm̂_t', formula: 'm_t / (1 − β1ᵗ)', value: div(m, R(biasCorrection1)), explanatory: true })
  const state: Record<string, number> = { step: t, exp_avg: m, exp_avg_sq: v }
  let vUsed = v
  if (amsgrad) {
    vUsed = state.max_exp_avg_sq = Math.max(input.state.max_exp_avg_sq ?? 0, v)
    lines.push({ symbol: 'v_t^max', formula: 'max(v_{t−1}^max, v_t)', value: vUsed, condition: 'amsgrad', stateKey: 'max_exp_avg_sq' })
    lines.push({ symbol: 'v̂_t', formula: 'v_t^max / (1 − β2ᵗ)', value: div(vUsed, R(1 - beta2 ** t)), condition: 'amsgrad', explanatory: true })
  } else {
    lines.push({ symbol: 'v̂_t', formula: 'v_t / (1 − β2ᵗ)', value: div(v, R(1 - beta2 ** t)), explanatory: true })
  }
  const denom = sum(div(sqrt(vUsed), R(bc2Sqrt)), R(eps))
  const param = addcdiv(theta, m, denom, R(-(lr / biasCorrection1)))
  lines.push({
    symbol: 'θ_t',
    formula: decoupled && weightDecay !== 0 ? 'θ_t − γ·m̂_t / (√v̂_t + ε)' : 'θ_{t−1} − γ·m̂_t / (√v̂_t + ε)',
    value: param,
    computedAs: `θ − (γ / (1 − β1ᵗ))·m_t / (√${amsgrad ? 'v_t^max' : 'v_t'} / √(1 − β2ᵗ) + ε)`
  })
  return {
    optimizer,
    t,
    inputs: [
      { symbol: 'γ', name: 'lr', value: lr },
      { symbol: 'β1', name: 'betas[0]', value: beta1 },
      { symbol: 'β2', name: 'betas[1]', value: beta2 },
      { symbol: 'ε', name: 'eps', value: eps },
      { symbol: 'λ', name: 'weight_decay', value: weightDecay },
      { symbol: 'amsgrad', name: 'amsgrad', value: amsgrad },
      { symbol: 'maximize', name: 'maximize', value: maximize }
    ],
    lines,
    param,
    state
  }
}
