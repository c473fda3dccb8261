import { rounderFor } from '../../tensor/dtype'
import { arithFor, betas, flag, gradientLine, momentLines, nextStep, num, stepLine, weightDecayLines, type BoxLine, type ExplainInput, type UpdateBox } from './box'

/**
 * torch.optim.NAdam's box; the arithmetic of `nadamUpdate` and `NAdam.updateParam` (nadam.ts).
 * The docs write the product of all μ_i; PyTorch keeps it as the 0-dim state `mu_product`.
 */
export function explainNadam(input: ExplainInput): UpdateBox {
  const arith = arithFor(input.dtype)
  const { R, addcdiv, div, sqrt, sum } = arith
  const { group } = input
  const lr = num(group, 'lr'), eps = num(group, 'eps'), weightDecay = num(group, 'weight_decay'), psi = num(group, 'momentum_decay')
  const [beta1, beta2] = betas(group)
  const maximize = flag(group, 'maximize'), decoupled = flag(group, 'decoupled_weight_decay')
  const t = nextStep(input.state)
  const lines: BoxLine[] = [stepLine(t)]
  lines.push(gradientLine(input.grad, maximize))
  const { g, theta } = weightDecayLines(arith, lines, lines[lines.length - 1].value, input.param, lr, weightDecay, decoupled)
  const mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
  lines.push({ symbol: 'μ_t', formula: 'β1·(1 − ½·0.96^(tψ))', value: mu })
  lines.push({ symbol: 'μ_{t+1}', formula: 'β1·(1 − ½·0.96^((t+1)ψ))', value: muNext })
  const round = rounderFor(input.scalarDtypes?.mu_product ?? 'float32')
  const muProduct = round((input.state.mu_product ?? 1) * round(mu))
  lines.push({ symbol: 'Π_t', formula: 'Π_{t−1}·μ_t  (= ∏_{i=1}^{t} μ_i)', value: muProduct, stateKey: 'mu_product' })
  const { m, v } = momentLines(arith, lines, input.state, g, beta1, beta2)
  const muProductNext = muProduct * muNext
  lines.push({
    symbol: 'm̂_t',
    formula: 'μ_{t+1}·m_t / (1 − Π_t·μ_{t+1}) + (1 − μ_t)·g_t / (1 − Π_t)',
    value: (muNext * m) / (1 - muProductNext) + ((1 - mu) * g) / (1 - muProduct),
    explanatory: true
  })
  const vHat = div(v, R(1 - beta2 ** t))
  lines.push({ symbol: 'v̂_t', formula: 'v_t / (1 − β2ᵗ)', value: vHat })
  const denom = sum(sqrt(vHat), R(eps))
  const gradCoefficient = (-lr * (1 - mu)) / (1 - muProduct)
  const expAvgCoefficient = (-lr * muNext) / (1 - muProductNext)
  const param = addcdiv(addcdiv(theta, g, denom, R(gradCoefficient)), m, denom, R(expAvgCoefficient))
  lines.push({
    symbol: 'θ_t',
    formula: decoupled && weightDecay !== 0 ? 'θ_t − γ·m̂_t / (√v̂_t + ε)' : 'θ_{t−1} − γ·m̂_t / (√v̂_t + ε)',
    value: param,
    computedAs: 'θ − γ(1 − μ_t)/(1 − Π_t)·g_t/(√v̂_t + ε) − γμ_{t+1}/(1 − Π_tμ_{t+1})·m_t/(√v̂_t + ε)'
  })
  return {
    optimizer: 'NAdam',
    t,
    inputs: [
      { symbol: 'γ', name: 'lr', value: lr },
      { symbol: 'β1', name: 'betas[0]', value: beta1 },
      { symbol: 'β2', name: 'betas[1]', value: beta2 },
      { symbol: 'ε', name: 'eps', value: eps },
      { symbol: 'λ', name: 'weight_decay', value: weightDecay },
      { symbol: 'ψ', name: 'momentum_decay', value: psi },
      { symbol: 'decoupled_weight_decay', name: 'decoupled_weight_decay', value: decoupled },
      { symbol: 'maximize', name: 'maximize', value: maximize }
    ],
    lines,
    param,
    state: { step: t, mu_product: muProduct, exp_avg: m, exp_avg_sq: v }
  }
}
