import { crossEntropyLoss, mseLoss, type ClassTargets, type LossReduction } from '../ops/loss'
import type { Tensor } from '../tensor/tensor'

/** `nn.MSELoss(reduction=...)`; PyTorch's default reduction is "mean". */
export class MSELoss {
  constructor(readonly reduction: LossReduction = 'mean') {
    if (!['sum', 'mean', 'none'].includes(reduction)) throw new Error(`${reduction} is not a valid value for reduction`)
  }

  call(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.reduction)
  }
}

/**
 * `nn.CrossEntropyLoss(reduction=..., ignore_index=-100)` with class-index targets: log_softmax
 * over dim 1, then nll_loss, so `loss.grad_fn` is `NllLossBackward0` as in PyTorch.
 */
export class CrossEntropyLoss {
  constructor(
    readonly reduction: LossReduction = 'mean',
    readonly ignoreIndex = -100
  ) {
    if (!['sum', 'mean', 'none'].includes(reduction)) throw new Error(`${reduction} is not a valid value for reduction`)
  }

  call(input: Tensor, target: ClassTargets): Tensor {
    return crossEntropyLoss(input, target, this.reduction, this.ignoreIndex)
  }
}
