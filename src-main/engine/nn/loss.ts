import { mseLoss, type LossReduction } from '../ops/loss'
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
