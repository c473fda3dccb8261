import type { SerializedTensor, WeightsFile } from '../../shared/weights-file'
import type { Optimizer } from '../optim/optimizer'
import type { Tensor } from '../tensor/tensor'

/**
 * Tensors as `{shape, dtype, data}`. A float32 value held in a double prints (JSON's shortest
 * round-trip form) with enough digits to recover the same float32 exactly.
 */
export function serializeTensor(t: Tensor): SerializedTensor {
  return { shape: [...t.shape], dtype: t.dtype, data: Array.from(t.data) }
}

type OptimizerSection = NonNullable<WeightsFile['optimizer']>['state_dict']

/** `optimizer.state_dict()` for JSON: tensors serialised, 0-dim values such as `step` as numbers. */
export function serializeOptimizer(optimizer: Optimizer): OptimizerSection {
  const sd = optimizer.stateDict()
  const state: OptimizerSection['state'] = {}
  for (const [index, entry] of Object.entries(sd.state)) {
    const out: Record<string, SerializedTensor | number> = {}
    for (const [key, value] of Object.entries(entry as Record<string, Tensor | number>)) {
      out[key] = typeof value === 'number' ? value : value.ndim === 0 ? value.item() : serializeTensor(value)
    }
    state[index] = out
  }
  return { state, param_groups: sd.param_groups as OptimizerSection['param_groups'] }
}
