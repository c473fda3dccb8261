#!/usr/bin/env node
// The `lab` command. Node 20 cannot run TypeScript by itself, so tsx compiles on the fly;
// everything the command does lives in src-main/cli.
import { setFlagsFromString } from 'node:v8'
import { register } from 'tsx/esm/api'

// Node 20 ships WebAssembly relaxed SIMD behind a flag that Electron 45 / Chromium enable by
// default; set it before any module is compiled so that the CLI runs the same kernel build, and
// computes the same numbers, as the app (fused multiply-adds in float32 products and in Adam).
setFlagsFromString('--experimental-wasm-relaxed-simd')
// A lab run is short: V8's optimizing compiler spends ≈ 180 ms of CPU on the engine's JavaScript
// during the lesson's 500 steps, mostly on inlining; without inlining ≈ 100 ms, and the run is
// faster (train_ms median 375 against 442 ms, per-round ratio 0.88 over 10 alternating rounds,
// docs/performance.md). The kernels' WebAssembly is not affected.
setFlagsFromString('--no-turbo-inlining')
register()
const { main } = await import('../src-main/cli/lab.ts')
main(process.argv.slice(2))
