#!/usr/bin/env node
// The `lab` command. Node 20 cannot run TypeScript by itself, so tsx compiles on the fly;
// everything the command does lives in src-main/cli.
import { setFlagsFromString } from 'node:v8'
import { register } from 'tsx/esm/api'

// Node 20 ships WebAssembly relaxed SIMD behind a flag that Electron 45 / Chromium enable by
// default; set it before any module is compiled so that the CLI runs the same kernel build, and
// computes the same numbers, as the app (fused multiply-adds in float32 products and in Adam).
setFlagsFromString('--experimental-wasm-relaxed-simd')
register()
const { main } = await import('../src-main/cli/lab.ts')
main(process.argv.slice(2))
