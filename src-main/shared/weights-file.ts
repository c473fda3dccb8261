/**
 * The weights file (DESIGN §6): PyTorch `state_dict` keys, every tensor as
 * `{shape, dtype, data}` with `data` flat and row-major, values written to round-trip exactly.
 */
import type { DType } from './config'

export const WEIGHTS_FORMAT = 'optim-lab/state-dict'
export const WEIGHTS_VERSION = 1

export interface SerializedTensor {
  shape: number[]
  dtype: DType
  data: number[]
}

export type ArchitectureLayer =
  | { type: 'Linear'; in_features: number; out_features: number; bias: boolean }
  | { type: 'ReLU' }
  | { type: 'Tanh' }
  | { type: 'Sigmoid' }
  | { type: 'LeakyReLU'; negative_slope: number }

/** A state entry per parameter index: tensors serialised, 0-dim values (`step`) as plain numbers. */
export type SerializedOptimizerState = Record<string, Record<string, SerializedTensor | number>>

export interface SerializedParamGroup {
  params: number[]
  [hyperparameter: string]: unknown
}

export interface WeightsFile {
  format: typeof WEIGHTS_FORMAT
  version: typeof WEIGHTS_VERSION
  architecture: ArchitectureLayer[]
  state_dict: Record<string, SerializedTensor>
  optimizer?: {
    type: string
    state_dict: { state: SerializedOptimizerState; param_groups: SerializedParamGroup[] }
  }
  meta: {
    seed: number
    steps: number
    final_loss: number | null
    app: string
    [key: string]: unknown
  }
}
