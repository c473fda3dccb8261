#!/usr/bin/env node
// One benchmark child of `npm run bench`: the lesson's network, loss and optimizer in TensorFlow.js
// (tfjs-core with the `cpu` or `wasm` backend), timed like our engine. Argument: a JSON object
// { backend, wasmDir, n, dIn, hidden, dOut, steps, runs, warmupSteps }. Prints one JSON line.
// scripts/bench.mjs bundles it with esbuild (to CommonJS) first: tfjs-core registers its gradients only
// from its ES modules, which Node cannot load unbundled.
//
// Same computation as the lesson: relu(x·W1 + b1)·W2 + b2, sum of squared errors, Adam(lr=1e-4,
// eps=1e-8), the loss read back every step (the tutorial prints it). TF.js keeps weights [in, out]
// (no transposed operand in the forward pass); data and initial weights are made before the clock.
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-core/dist/register_all_gradients'
import '@tensorflow/tfjs-backend-cpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'

async function main() {
  const request = JSON.parse(process.argv[2])

  if (request.backend === 'wasm') {
    // Single-threaded, like our engine and PyTorch in this benchmark.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
    setWasmPaths(request.wasmDir + '/') // the directory of tfjs-backend-wasm's .wasm files
  }
  await tf.setBackend(request.backend)
  await tf.ready()

  const { n, dIn, hidden, dOut } = request
  const widths = [dIn, ...hidden, dOut]
  const runsMs = []
  const cpuMs = []
  let loss0 = NaN
  let lastLoss = NaN
  for (let run = -1; run < request.runs; run++) {
    const x = tf.randomNormal([n, dIn], 0, 1, 'float32', 0)
    const y = tf.randomNormal([n, dOut], 0, 1, 'float32', 1)
    const params = []
    for (let i = 0; i + 1 < widths.length; i++) {
      const bound = 1 / Math.sqrt(widths[i])
      params.push(tf.variable(tf.randomUniform([widths[i], widths[i + 1]], -bound, bound, 'float32', 2 + i)))
      params.push(tf.variable(tf.randomUniform([widths[i + 1]], -bound, bound, 'float32', 100 + i)))
    }
    const optimizer = tf.train.adam(1e-4, 0.9, 0.999, 1e-8)
    const loss = () => {
      let h = x
      for (let i = 0; i < params.length; i += 2) {
        h = tf.add(tf.matMul(h, params[i]), params[i + 1])
        if (i + 2 < params.length) h = tf.relu(h)
      }
      return tf.sum(tf.square(tf.sub(h, y)))
    }
    const steps = run < 0 ? request.warmupSteps : request.steps
    const wall0 = performance.now()
    const cpu0 = process.cpuUsage()
    for (let t = 0; t < steps; t++) {
      const cost = optimizer.minimize(loss, true)
      const value = cost.dataSync()[0]
      cost.dispose()
      if (t === 0) loss0 = value
      lastLoss = value
    }
    const cpu = process.cpuUsage(cpu0)
    const wall = performance.now() - wall0
    if (run >= 0) {
      runsMs.push(wall)
      cpuMs.push((cpu.user + cpu.system) / 1000)
    }
    optimizer.dispose()
    tf.dispose([x, y, ...params])
  }
  process.stdout.write(
    JSON.stringify({
      kernels: `tfjs-${tf.getBackend()}`,
      variant: tf.version_core,
      runs_ms: runsMs,
      cpu_ms: cpuMs,
      loss0,
      last_loss: lastLoss,
      peak_rss_kb: process.resourceUsage().maxRSS,
      heap_used_mb: process.memoryUsage().heapUsed / 2 ** 20
    }) + '\n'
  )
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
