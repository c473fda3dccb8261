import { arithFor, betas, flag, gradientLine, nextStep, num, stepLine, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/** torch.optim.RAdam's box; the arithmetic of `radamUpdate` and `RAdam.updateParam` (radam.ts). */
export function explainRadam(input: ExplainInput): UpdateBox {
  const { R, add, addcmul, div, lerp, mul, sqrt, sum } = arithFor(input.dtype)
  const { group } = input
  const lr = num(group, 'lr'), eps = num(group, 'eps'), weightDecay = num(group, 'weight_decay')
  const [beta1, beta2] = betas(group)
  const maximize = flag(group, 'maximize'), decoupled = flag(group, 'decoupled_weight_decay')
  const t = nextStep(input.state)
  const lines: BoxLine[] = [stepLine(t)]
  let theta = input.param

  let g = (lines[lines.length] = gradientLine(input.grad, maximize)).value
  if (weightDecay !== 0 && decoupled) {
    theta = mul(theta, R(1 - lr * weightDecay))
    lines.push({ symbol: 'θ_t', formula: 'θ_{t−1} − γλ·θ_{t−1}', value: theta, condition: 'λ ≠ 0 (decoupled)', computedAs: 'θ_{t−1}·(1 − γλ)' })
  } else if (weightDecay !== 0) {
    g = add(g, theta, R(weightDecay))
    lines.push({ symbol: 'g_t', formula: 'g_t + λ·θ_{t−1}', value: g, condition: 'λ ≠ 0' })
  }
  const m = lerp(input.state.exp_avg ?? 0, g, R(1 - beta1))
  lines.push({ symbol: 'm_t', formula: 'β1·m_{t−1} + (1 − β1)·g_t', value: m, stateKey: 'exp_avg', computedAs: 'lerp(m_{t−1}, g_t, 1 − β1)' })
  const v = addcmul(mul(input.state.exp_avg_sq ?? 0, R(beta2)), g, g, R(1 - beta2))
  lines.push({ symbol: 'v_t', formula: 'β2·v_{t−1} + (1 − β2)·g_t²', value: v, stateKey: 'exp_avg_sq' })
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
