/** PyTorch-exact CPU random numbers for float32 tensors (torch-spec §2). */

export { Generator, defaultGenerator, manualSeed, normalizeSeed, DEFAULT_SEED } from './generator'
export { MT19937 } from './mt19937'
export { uniformFill, randFill } from './uniform'
export { normalFill, randnFill } from './normal'
export { linearInit, kaimingUniformBound, linearBiasBound, type LinearParams } from './init'
