/**
 * Settings and recent runs in the user data folder (`settings.json`). Writes are atomic (temp file,
 * fsync, rename), so a crash mid-write leaves the previous file. A file that cannot be used (not
 * JSON, wrong shape, too large) is moved aside as `settings.json.corrupt-<time>` and the defaults
 * are used; `load()` says so, and the renderer shows it as a notice.
 */
import * as fs from 'node:fs/promises'
import { join } from 'node:path'
import {
  MAX_SETTINGS_CHARS,
  defaultSettings,
  parseSettings,
  validateSettings,
  type LoadedSettings,
  type Settings
} from '../shared/settings'
import { writeFileAtomic } from './save-file'

export const SETTINGS_FILE = 'settings.json'

/** The file-system calls the store makes (node:fs/promises by default; tests inject faults). */
export interface SettingsIo {
  stat(path: string): Promise<{ size: number }>
  readFile(path: string, encoding: 'utf8'): Promise<string>
  rename(from: string, to: string): Promise<void>
  mkdir(path: string, options: { recursive: true }): Promise<unknown>
  writeAtomic(path: string, contents: string): Promise<void>
}

const nodeIo: SettingsIo = {
  stat: (path) => fs.stat(path),
  readFile: (path, encoding) => fs.readFile(path, encoding),
  rename: (from, to) => fs.rename(from, to),
  mkdir: (path, options) => fs.mkdir(path, options),
  writeAtomic: (path, contents) => writeFileAtomic(path, contents)
}

/** `2025-03-01T09-30-00-000Z`: sortable, and valid in a file name on every platform. */
export function timeStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-')
}

export class SettingsStore {
  readonly path: string
  /** Writes run one after another, so the last save wins. */
  private writes: Promise<void> = Promise.resolve()

  constructor(
    readonly directory: string,
    private readonly io: SettingsIo = nodeIo,
    private readonly now: () => Date = () => new Date()
  ) {
    this.path = join(directory, SETTINGS_FILE)
  }

  async load(): Promise<LoadedSettings> {
    let text: string
    try {
      const { size } = await this.io.stat(this.path)
      // A settings file is small; a huge one is not ours and is not read into memory.
      if (size > MAX_SETTINGS_CHARS * 4) return this.moveAside(`it is ${size} bytes, far larger than settings ever are`)
      text = await this.io.readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings(), problem: null }
      return { settings: defaultSettings(), problem: { reason: `it could not be read (${(error as Error).message})`, movedTo: null } }
    }
    const parsed = parseSettings(text)
    if (parsed.ok) return { settings: parsed.settings, problem: null }
    return this.moveAside(parsed.reason)
  }

  /** Validates and writes `value` (it comes from the renderer); resolves once it is on disk. */
  save(value: unknown): Promise<void> {
    const settings: Settings = validateSettings(value)
    const contents = JSON.stringify(settings, null, 2) + '\n'
    const write = this.writes.then(async () => {
      await this.io.mkdir(this.directory, { recursive: true })
      await this.io.writeAtomic(this.path, contents)
    })
    this.writes = write.catch(() => undefined)
    return write
  }

  private async moveAside(reason: string): Promise<LoadedSettings> {
    const target = `${this.path}.corrupt-${timeStamp(this.now())}`
    let movedTo: string | null = target
    try {
      await this.io.rename(this.path, target)
    } catch {
      movedTo = null
    }
    return { settings: defaultSettings(), problem: { reason, movedTo } }
  }
}
