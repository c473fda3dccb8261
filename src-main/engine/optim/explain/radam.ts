import { arithFor, betas, flag, gradientLine, momentLines, nextStep, num, stepLine, weightDecayLines, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/** torch.optim.RAdam's box; the arithmetic of `radamUpdate` and `RAdam.updateParam` (radam.ts). */
export function explainRadam(input: ExplainInput): UpdateBox {
  const arith = arithFor(input.dtype)
  const { R, add, div, mul, sqrt, sum } = arith
  const { group } = input
  const lr = num(group, 'lr'), eps = num(group, 'eps'), weightDecay = num(group, 'weight_decay')
  const [beta1, beta2] = betas(group)
  const maximize = flag(group, 'maximize'), decoupled = flag(group, 'decoupled_weight_decay')
  const t = nextStep(input.state)
  const lines: BoxLine[] = [stepLine(t)]
  lines.push(gradientLine(input.grad, maximize))
  const { g, theta } = weightDecayLines(arith, lines, lines[lines.length - 1].value, input.param, lr, weightDecay, decoupled)
  const { m, v } = momentLines(arith, lines, input.state, g, beta1, beta2)
  const biasCorrection1 = 1 - beta1 ** t
  const biasCorrection2 = 1 - beta2 ** t
  const mHat = div(m, R(biasCorrection1))
  lines.push({ symbol: 'm̂_t', formula: 'm_t / (1 − β1ᵗ)', value: mHat })
  const rhoInf = 2 / (1 - beta2) - 1
  const rhoT = rhoInf - (2 * t * beta2 ** t) / biasCorrection2
  lines.push({ symbol: 'ρ_∞', formula: '2 / (1 − β2) − 1', value: rhoInf })
  lines.push({ symbol: 'ρ_t', formula: 'ρ_∞ − 2t·β2ᵗ / (1 − β2ᵗ)', value: rhoT })
  let update = mul(mHat, R(lr))
  if (rhoT > 5) {
    // python_float / tensor is tensor.reciprocal() * python_float
    const l = mul(div(1, sum(sqrt(v), R(eps))), R(Math.sqrt(biasCorrection2)))
    lines.push({ symbol: 'l_t', formula: '√(1 − β2ᵗ) / (√v_t + ε)', value: l, condition: 'ρ_t > 5', computedAs: '(1 / (√v_t + ε))·√(1 − β2ᵗ)' })
    const r = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
    lines.push({ symbol: 'r_t', formula: '√((ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t))', value: r, condition: 'ρ_t > 5' })
    update = mul(mul(update, l), R(r))
  }
  const param = add(theta, update, -1)
  lines.push(
    rhoT > 5
      ? { symbol: 'θ_t', formula: 'θ_{t−1} − γ·m̂_t·r_t·l_t', value: param, condition: 'ρ_t > 5', computedAs: 'θ − ((m̂_t·γ)·l_t)·r_t' }
      : { symbol: 'θ_t', formula: 'θ_{t−1} − γ·m̂_t', value: param, condition: 'ρ_t ≤ 5' }
  )
  return {
    optimizer: 'RAdam',
    t,
    inputs: [
      { symbol: 'γ', name: 'lr', value: lr },
      { symbol: 'β1', name: 'betas[0]', value: beta1 },
      { symbol: 'β2', name: 'betas[1]', value: beta2 },
      { symbol: 'ε', name: 'eps', value: eps },
      { symbol: 'λ', name: 'weight_decay', value: weightDecay },
      { symbol: 'decoupled_weight_decay', name: 'decoupled_weight_decay', value: decoupled },
      { symbol: 'maximize', name: 'maximize', value: maximize }
    ],
    lines,
    param,
    state: { step: t, exp_avg: m, exp_avg_sq: v }
  }
}
