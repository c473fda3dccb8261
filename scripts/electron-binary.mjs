/**
 * Finds the Electron executable WITHOUT triggering a download. `require('electron')` (and
 * Playwright's `_electron.launch()` without `executablePath`) would run Electron's installer,
 * which fetches the binary from GitHub; this module only looks at the disk.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)))
export const electronPackageDir = join(projectRoot, 'node_modules', 'electron')

function readText(path) {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return null
  }
}

export function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(electronPackageDir, 'package.json'), 'utf8')).version
  } catch {
    return null
  }
}

/** Executable name inside a dist folder, as Electron's installer names it. */
function platformExecutable() {
  switch (process.platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron'
    case 'win32':
      return 'electron.exe'
    default:
      return 'electron'
  }
}

/** `electron-v45.5.0-linux-x64.zip` for this machine. */
export function electronZipName(version = electronVersion()) {
  const platform = process.platform === 'win32' ? 'win32' : process.platform
  return `electron-v${version}-${platform}-${process.arch}.zip`
}

/** Electron's download cache root, as @electron/get computes it (env-paths), or `electron_config_cache`. */
export function electronCacheRoot() {
  if (process.env.electron_config_cache) return process.env.electron_config_cache
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron')
  if (process.platform === 'win32') {
    return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache')
  }
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron')
}

/** Where @electron/get looks for the zip: <cache>/<sha256 of the release URL's folder>/<zip>. */
export function electronCachedZipPath(version = electronVersion()) {
  const folder = `https://github.com/electron/electron/releases/download/v${version}`
  const hash = createHash('sha256').update(folder).digest('hex')
  return join(electronCacheRoot(), hash, electronZipName(version))
}

/**
 * `{ found: true, path }` when an Electron executable is on disk, else `{ found: false, reason }`.
 * Honours ELECTRON_OVERRIDE_DIST_PATH exactly as node_modules/electron/index.js does.
 */
export function findElectronBinary() {
  if (!existsSync(join(electronPackageDir, 'package.json'))) {
    return { found: false, reason: 'the electron package is not installed (node_modules/electron is missing)' }
  }
  const pathTxt = readText(join(electronPackageDir, 'path.txt'))
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const candidate = join(override, pathTxt || platformExecutable())
    return existsSync(candidate)
      ? { found: true, path: candidate }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${candidate} does not exist` }
  }
  if (!pathTxt) {
    return {
      found: false,
      reason: `no Electron binary has been installed (node_modules/electron/path.txt is missing; Electron ${electronVersion()} downloads its binary on first use, which needs GitHub)`
    }
  }
  const candidate = join(electronPackageDir, 'dist', pathTxt)
  return existsSync(candidate)
    ? { found: true, path: candidate }
    : { found: false, reason: `the Electron binary ${candidate} is missing` }
}
