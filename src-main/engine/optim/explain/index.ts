import type { OptimizerName } from '../../../shared/config'
import { explainAdadelta } from './adadelta'
import { explainAdagrad } from './adagrad'
import { explainAdam } from './adam'
import { explainAdamax } from './adamax'
import type { ExplainInput, UpdateBox } from './box'
import { explainNadam } from './nadam'
import { explainRadam } from './radam'
import { explainRmsprop } from './rmsprop'
import { explainSgd } from './sgd'

export type { BoxInput, BoxLine, ExplainInput, UpdateBox } from './box'

const EXPLAINERS: Record<OptimizerName, (input: ExplainInput) => UpdateBox> = {
  SGD: explainSgd,
  Adam: (input) => explainAdam(input, 'Adam'),
  AdamW: (input) => explainAdam(input, 'AdamW'),
  RMSprop: explainRmsprop,
  Adagrad: explainAdagrad,
  Adadelta: explainAdadelta,
  Adamax: explainAdamax,
  NAdam: explainNadam,
  RAdam: explainRadam
}

/**
 * PyTorch's documented algorithm box for one weight at the coming `step()`, every line filled
 * with this step's number, computed from the values before the step (θ, .grad, state) and the
 * group's hyperparameters, following the branches the group takes.
 */
export function explainUpdate(optimizer: OptimizerName, input: ExplainInput): UpdateBox {
  return EXPLAINERS[optimizer](input)
}
