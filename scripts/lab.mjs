#!/usr/bin/env node
// The `lab` command. Node 20 cannot run TypeScript by itself, so tsx compiles on the fly;
// everything the command does lives in src-main/cli.
import { setFlagsFromString } from 'node:v8'
import { register } from 'tsx/esm/api'

// Node 20 ships WebAssembly relaxed SIMD behind a flag that Electron 45 / Chromium enable by
// default; set it before any module is compiled so that the CLI runs the same kernel build, and
// computes the same numbers, as the app (fused multiply-adds in float32 products and in Adam).
setFlagsFromString('--experimental-wasm-relaxed-simd')
// The kernels are compiled whole, by V8's optimizing compiler, when the module is made (before the
// clock starts), rather than each function at its first call by the baseline compiler and again
// once hot (lazy compilation and dynamic tiering, Node's defaults): a cold lesson run took ≈ 3 %
// less, 8 rounds alternating with PyTorch (docs/performance.md).
setFlagsFromString('--no-wasm-lazy-compilation')
setFlagsFromString('--no-wasm-dynamic-tiering')
register()
const { main } = await import('../src-main/cli/lab.ts')
main(process.argv.slice(2))
