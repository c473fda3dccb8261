/**
 * `npm start` without an Electron binary (this machine): one clear paragraph, exit 1, no stack
 * trace, no download. With a binary (a stand-in script via ELECTRON_OVERRIDE_DIST_PATH): launches it
 * on the project.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findElectronBinary } from '../../scripts/electron-binary.mjs'

const projectRoot = join(import.meta.dirname, '../..')
let sandbox: string

beforeEach(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'optim-lab-start-'))
})
afterEach(() => rmSync(sandbox, { recursive: true, force: true }))

function start(env: Record<string, string>, args: string[] = []) {
  const clean: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/electron/i.test(key)) clean[key] = value
  }
  const result = spawnSync(process.execPath, ['scripts/start.mjs', ...args], {
    cwd: projectRoot,
    env: { ...clean, HOME: sandbox, XDG_CACHE_HOME: join(sandbox, 'cache'), ...env },
    input: '',
    encoding: 'utf8',
    timeout: 60_000
  })
  // The paragraph is wrapped for the terminal; compare its words.
  return { ...result, text: result.stderr.replace(/\s+/g, ' ').trim() }
}

describe('npm start', () => {
  it.skipIf(findElectronBinary().found)('explains in one paragraph how to get Electron offline and points to web mode', () => {
    const result = start({})
    expect(result.status).toBe(1)
    const text = result.stderr.trim()
    expect(text).not.toMatch(/\n\s*\n/) // one paragraph
    expect(text).not.toMatch(/^\s+at /m) // no stack trace
    expect(text).not.toMatch(/Downloading/)
    expect(text).toMatch(/ELECTRON_OVERRIDE_DIST_PATH=/)
    expect(text).toMatch(/electron-v45\.5\.0-linux-x64\.zip/)
    expect(text).toContain(join(sandbox, 'cache', 'electron'))
    expect(text).toMatch(/npm run web/)
    expect(text).toMatch(/npm run lab/)
  })

  it('says what is wrong with ELECTRON_OVERRIDE_DIST_PATH when it holds no binary', () => {
    const result = start({ ELECTRON_OVERRIDE_DIST_PATH: join(sandbox, 'nowhere') })
    expect(result.status).toBe(1)
    expect(result.text).toContain(`ELECTRON_OVERRIDE_DIST_PATH is set, but ${join(sandbox, 'nowhere', 'electron')} does not exist`)
  })

  it.skipIf(findElectronBinary().found)('does not use a cached zip whose checksum is wrong (and never downloads)', () => {
    mkdirSync(join(sandbox, 'cache', 'electron'), { recursive: true })
    writeFileSync(join(sandbox, 'cache', 'electron', 'electron-v45.5.0-linux-x64.zip'), 'not really a zip')
    const result = start({})
    expect(result.status).toBe(1)
    expect(result.text).toMatch(/does not match Electron 45\.5\.0's checksum, so it was not used/)
    expect(result.stdout + result.stderr).not.toMatch(/Downloading|fetch failed/)
  })

  it.runIf(process.platform === 'linux')('launches the binary found via ELECTRON_OVERRIDE_DIST_PATH on the project', () => {
    const dist = join(sandbox, 'dist')
    mkdirSync(dist)
    const record = join(sandbox, 'launched.txt')
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\necho "$PWD|$*" > "${record}"\nexit 7\n`)
    chmodSync(join(dist, 'electron'), 0o755)
    const result = start({ ELECTRON_OVERRIDE_DIST_PATH: dist }, ['--no-build'])
    expect(result.status).toBe(7)
    expect(existsSync(record)).toBe(true)
    expect(readFileSync(record, 'utf8').trim()).toBe(`${projectRoot}|.`)
  })
})
