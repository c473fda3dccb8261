import { defaultGenerator, type Generator } from '../random/generator'
import { linearInit } from '../random/init'
import { linear } from '../ops/linear-algebra'
import { leakyRelu, relu, sigmoid, tanh } from '../ops/activation'
import { Parameter, Tensor } from '../tensor/tensor'
import { Module } from './module'

export interface LinearOptions {
  bias?: boolean
  /** Where the initial weights are drawn from (PyTorch's global generator by default). */
  generator?: Generator
}

/** `nn.Linear(in_features, out_features)`, initialised exactly as PyTorch's `reset_parameters()`. */
export class Linear extends Module {
  readonly weight: Parameter
  readonly bias: Parameter | null

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {}
  ) {
    super()
    const init = linearInit(options.generator ?? defaultGenerator, inFeatures, outFeatures)
    this.weight = new Parameter(init.weight, [outFeatures, inFeatures])
    this.registerParameter('weight', this.weight)
    const withBias = options.bias ?? true
    this.bias = withBias ? new Parameter(init.bias, [outFeatures]) : null
    if (this.bias) this.registerParameter('bias', this.bias)
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias)
  }

  describe(): string {
    return `Linear(in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'})`
  }
}

export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return relu(input)
  }
  describe(): string {
    return 'ReLU()'
  }
}

export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return tanh(input)
  }
  describe(): string {
    return 'Tanh()'
  }
}

export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return sigmoid(input)
  }
  describe(): string {
    return 'Sigmoid()'
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super()
  }
  forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope)
  }
  describe(): string {
    return `LeakyReLU(negative_slope=${this.negativeSlope})`
  }
}

/** `nn.Sequential`: children named "0", "1", ... applied in order. */
export class Sequential extends Module {
  readonly layers: readonly Module[]

  constructor(...layers: Module[]) {
    super()
    this.layers = layers
    layers.forEach((layer, i) => this.registerModule(String(i), layer))
  }

  forward(input: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), input)
  }

  describe(): string {
    return `Sequential(\n${this.layers.map((l, i) => `  (${i}): ${l.describe()}`).join('\n')}\n)`
  }
}
