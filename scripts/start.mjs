#!/usr/bin/env node
/**
 * `npm start`: opens Optim Lab's desktop window when an Electron binary is on this machine.
 * It never downloads anything. Without a binary it explains, in one paragraph, how to supply one
 * offline and that the same lab runs in the browser (`npm run web`); on a terminal it offers to
 * start web mode right away. Exit status: Electron's, or 1 when it could not start.
 * Builds first when out/ is missing or older than the sources (`--no-build` skips that).
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import {
  electronCacheRoot,
  electronCachedZipPath,
  electronPackageDir,
  electronVersion,
  electronZipName,
  findElectronBinary
} from './electron-binary.mjs'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const OUTPUTS = ['out/main/index.js', 'out/main/host.js', 'out/preload/index.cjs', 'out/renderer/index.html']
const SOURCES = ['src-main', 'src-renderer', 'resources', 'electron.vite.config.ts', 'svelte.config.js', 'package.json']

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

function buildIfNeeded() {
  const outputs = OUTPUTS.map((p) => join(root, p))
  const oldestOutput = outputs.every(existsSync) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : 0
  const newestSource = Math.max(...SOURCES.map((p) => newestMtime(join(root, p))))
  if (oldestOutput > newestSource) return true
  console.log('Building Optim Lab (electron-vite build)...')
  const result = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit'
  })
  return result.status === 0
}

async function sha256(path) {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

/**
 * A zip the user put into Electron's cache (flat in the cache folder, or where @electron/get
 * itself keeps it) is installed with Electron's own installer, which then finds it in the cache.
 * Only a zip whose checksum matches Electron's shipped checksums.json is used, so the installer
 * never falls back to downloading.
 */
async function installFromCache() {
  const version = electronVersion()
  const zipName = electronZipName(version)
  const cachedPath = electronCachedZipPath(version)
  const flatPath = join(electronCacheRoot(), zipName)
  const zip = [cachedPath, flatPath].find((p) => existsSync(p))
  if (!zip) return { installed: false }
  let expected
  try {
    expected = JSON.parse(readFileSync(join(electronPackageDir, 'checksums.json'), 'utf8'))[zipName]
  } catch {
    expected = undefined
  }
  const actual = await sha256(zip)
  if (!expected || actual !== expected) {
    return { installed: false, problem: `${zip} does not match Electron ${version}'s checksum, so it was not used` }
  }
  if (zip !== cachedPath) {
    mkdirSync(dirname(cachedPath), { recursive: true })
    copyFileSync(zip, cachedPath)
  }
  // No mirror or "remote checksum" settings may reach the installer: the cache path depends on them.
  const env = { electron_config_cache: electronCacheRoot() }
  for (const [key, value] of Object.entries(process.env)) {
    if (!/electron|^force_no_cache$/i.test(key)) env[key] = value
  }
  console.log(`Installing Electron ${version} from ${zip} (no network needed)...`)
  const result = spawnSync(process.execPath, [join(electronPackageDir, 'install.js')], { env, stdio: 'inherit' })
  return result.status === 0 ? { installed: true } : { installed: false, problem: 'unpacking the cached zip failed' }
}

function explain(reason, problem) {
  const version = electronVersion() ?? '45.5.0'
  const zipName = electronZipName(version)
  const paragraph =
    `Optim Lab cannot open its desktop window here: ${reason}${problem ? `; ${problem}` : ''}. ` +
    `npm start never downloads it. To supply Electron ${version} offline, get ${zipName} from ` +
    `https://github.com/electron/electron/releases/tag/v${version} on a machine with access, then either ` +
    `unpack it and run ELECTRON_OVERRIDE_DIST_PATH=/path/to/unpacked/electron npm start, or copy the zip ` +
    `into Electron's download cache (${electronCacheRoot()}/) and run npm start again, which installs it ` +
    `from there. Meanwhile the same lab runs in your browser: npm run web (then open the address it prints), ` +
    `and training without a window works with npm run lab.`
  console.error(wrap(paragraph))
}

function wrap(text, width = 100) {
  const lines = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.join('\n')
}

function ask(question) {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  return new Promise((resolveAnswer) =>
    rl.question(question, (answer) => {
      rl.close()
      resolveAnswer(answer.trim().toLowerCase())
    })
  )
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`)
    process.exit(1)
  })
}

async function main() {
  // --no-build: launch what is in out/ as it is (tests; a build you just made).
  const skipBuild = process.argv.includes('--no-build')
  let binary = findElectronBinary()
  let problem
  if (!binary.found && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const attempt = await installFromCache()
    problem = attempt.problem
    if (attempt.installed) binary = findElectronBinary()
  }
  if (binary.found) {
    if (!skipBuild && !buildIfNeeded()) {
      console.error('The build failed; see the messages above.')
      process.exit(1)
    }
    const env = { ...process.env }
    delete env.ELECTRON_RUN_AS_NODE
    const child = spawn(binary.path, ['.'], { cwd: root, stdio: 'inherit', env })
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
    child.on('error', (error) => {
      console.error(`Could not start Electron (${binary.path}): ${error.message}`)
      process.exit(1)
    })
    return
  }

  explain(binary.reason, problem)
  if (process.stdin.isTTY && process.stdout.isTTY) {
    const answer = await ask('\nStart the web version now? [Y/n] ')
    if (answer === '' || answer === 'y' || answer === 'yes') {
      if (!buildIfNeeded()) process.exit(1)
      return run(process.execPath, [join(root, 'scripts/serve-web.mjs')])
    }
  }
  process.exit(1)
}

main().catch((error) => {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
