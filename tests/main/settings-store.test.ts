/**
 * Settings in the user data folder: atomic writes, and an unreadable file moved aside with defaults
 * and a notice. Real files in a temp folder; electron is never imported.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { electronStub } from './electron-mock'
import { LESSON_CONFIG } from '../../src-main/shared/config'
import { defaultSettings } from '../../src-main/shared/settings'

vi.mock('electron', () => electronStub())
const { SettingsStore, timeStamp } = await import('../../src-main/main/settings-store')

const when = new Date('2026-05-06T07:08:09.010Z')
const store = (dir: string) => new SettingsStore(dir, undefined, () => when)
const fresh = () => mkdtempSync(join(tmpdir(), 'settings-'))

describe('SettingsStore', () => {
  it('gives defaults without a notice when there is no file yet', async () => {
    expect(await store(join(fresh(), 'not-yet')).load()).toEqual({ settings: defaultSettings(), problem: null })
  })

  it('saves atomically (no temp file left) and loads what it saved', async () => {
    const dir = join(fresh(), 'Optim Lab')
    const settings = { ...defaultSettings(), lastConfig: { ...LESSON_CONFIG, seed: 4 }, ui: { logScale: true, language: 'en' as const } }
    await store(dir).save(settings)
    expect(readdirSync(dir)).toEqual(['settings.json'])
    expect(await store(dir).load()).toEqual({ settings, problem: null })
  })

  it('refuses to save settings that do not match the schema, leaving the file as it was', async () => {
    const dir = fresh()
    await store(dir).save(defaultSettings())
    const before = readFileSync(join(dir, 'settings.json'), 'utf8')
    expect(() => store(dir).save({ ...defaultSettings(), lastConfig: { ...LESSON_CONFIG, optimizer: 'Magic' } })).toThrow(/settings\.lastConfig\.optimizer: must be one of/)
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before)
  })

  it.each([
    ['not JSON', '{"version": 1, "ui": ', 'it is not valid JSON'],
    ['truncated by a crash', JSON.stringify(defaultSettings()).slice(0, 20), 'it is not valid JSON'],
    ['another shape', JSON.stringify({ ...defaultSettings(), recentRuns: {} }), /^recentRuns: /],
    ['binary junk', '\u0000\u0001\u0002\uFFFD', 'it is not valid JSON']
  ])('moves a corrupt file (%s) aside and starts from defaults, saying so', async (_what, contents, reason) => {
    const dir = fresh()
    writeFileSync(join(dir, 'settings.json'), contents)
    const loaded = await store(dir).load()
    const aside = `settings.json.corrupt-${timeStamp(when)}`
    expect(loaded.settings).toEqual(defaultSettings())
    expect(loaded.problem).toEqual({ reason: expect.stringMatching(reason), movedTo: join(dir, aside) })
    expect(readdirSync(dir)).toEqual([aside])
    expect(readFileSync(join(dir, aside), 'utf8')).toBe(contents)
    // The next save writes a good file next to the kept copy.
    await store(dir).save(defaultSettings())
    expect(readdirSync(dir).sort()).toEqual(['settings.json', aside])
  })

  it('keeps the previous file when a write fails midway', async () => {
    const dir = fresh()
    const good = new SettingsStore(dir)
    await good.save(defaultSettings())
    const failing = new SettingsStore(dir, {
      stat: async () => ({ size: 0 }),
      readFile: async () => '',
      rename: async () => undefined,
      mkdir: async () => undefined,
      writeAtomic: async () => {
        throw new Error('ENOSPC: no space left on device')
      }
    })
    await expect(failing.save({ ...defaultSettings(), ui: { logScale: true, language: 'auto' } })).rejects.toThrow(/ENOSPC/)
    expect(await good.load()).toEqual({ settings: defaultSettings(), problem: null })
  })

  it('does not read a huge file into memory', async () => {
    const readFile = vi.fn(async () => '')
    const loaded = await new SettingsStore('/nowhere', {
      stat: async () => ({ size: 10 * 1024 ** 3 }),
      readFile,
      rename: async () => undefined,
      mkdir: async () => undefined,
      writeAtomic: async () => undefined
    }, () => when).load()
    expect(readFile).not.toHaveBeenCalled()
    expect(loaded.problem?.reason).toMatch(/far larger than settings ever are/)
  })
})
