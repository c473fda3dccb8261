#!/usr/bin/env node
// `npm test`: the whole suite in order — typecheck, build, the Electron security audit, unit tests
// (Vitest), browser end-to-end tests (Playwright, web mode in Debian's Chromium). Ends with one
// "N passed, N failed" line.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const results = 'test-results'
rmSync(`${results}/vitest.json`, { force: true })
rmSync(`${results}/playwright.json`, { force: true })
mkdirSync(results, { recursive: true })

let passed = 0
let failed = 0
let skipped = 0

function run(label, command, args, env = {}) {
  console.log(`\n== ${label}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return result.status === 0
}

function step(label, command, args) {
  if (run(label, command, args)) passed++
  else {
    failed++
    console.log(`!! ${label} failed`)
  }
}

step('typecheck (tsc)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.node.json'])
step('typecheck (svelte-check)', 'npx', ['svelte-check', '--tsconfig', './tsconfig.web.json', '--fail-on-warnings'])
const built = run('build', 'npx', ['electron-vite', 'build'])
if (built) passed++
else failed++

// Electron security scan of the sources and the build (offline; fails on HIGH or unreviewed MEDIUM).
if (built) step('audit:electron (electronegativity)', 'node', ['scripts/audit-electron.mjs'])
else {
  console.log('!! audit:electron not run: the build failed')
  failed++
}

const unitOk = run('unit tests', 'npx', [
  'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/vitest.json`
])
if (existsSync(`${results}/vitest.json`)) {
  const report = JSON.parse(readFileSync(`${results}/vitest.json`, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + (report.numTodoTests ?? 0)
  if (!unitOk && report.numFailedTests === 0) failed++ // e.g. a file that failed to load
} else if (!unitOk) failed++

if (built) {
  const e2eOk = run('end-to-end tests', 'npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: `${results}/playwright.json`
  })
  if (existsSync(`${results}/playwright.json`)) {
    const { stats } = JSON.parse(readFileSync(`${results}/playwright.json`, 'utf8'))
    passed += stats.expected + stats.flaky
    failed += stats.unexpected
    skipped += stats.skipped
    if (!e2eOk && stats.unexpected === 0) failed++
  } else if (!e2eOk) failed++
} else {
  console.log('!! end-to-end tests not run: the build failed')
  failed++
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 ? 1 : 0)
