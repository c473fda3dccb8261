import * as fs from 'node:fs/promises'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { electronStub } from './electron-mock'

vi.mock('electron', () => electronStub())

const { sanitizeFileName, saveWithDialog, writeFileAtomic } = await import('../../src-main/main/save-file')
type AtomicWriteFs = import('../../src-main/main/save-file').AtomicWriteFs

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'optim-lab-save-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const OLD = '{"old": true}'
const NEW = JSON.stringify({ format: 'optim-lab/state-dict', data: Array.from({ length: 50_000 }, (_, i) => i / 7) })

/** node:fs/promises with one step failing, after part of the file was written where that applies. */
function faulty(step: 'write' | 'sync' | 'rename'): AtomicWriteFs {
  return {
    open: (async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args)
      if (step === 'write') {
        handle.writeFile = async (data: unknown) => {
          await fs.appendFile(args[0] as string, String(data).slice(0, 1000))
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
        }
      }
      if (step === 'sync' && args[1] === 'wx') {
        handle.sync = async () => {
          throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })
        }
      }
      return handle
    }) as typeof fs.open,
    rename: step === 'rename' ? async () => Promise.reject(new Error('EXDEV: rename failed')) : fs.rename,
    unlink: fs.unlink
  }
}

describe('writeFileAtomic', () => {
  it('writes the whole file and leaves no temp file', async () => {
    const target = join(dir, 'weights.json')
    await writeFileAtomic(target, NEW)
    expect(readFileSync(target, 'utf8')).toBe(NEW)
    expect(readdirSync(dir)).toEqual(['weights.json'])
  })

  it('replaces an existing file', async () => {
    const target = join(dir, 'weights.json')
    writeFileSync(target, OLD)
    await writeFileAtomic(target, NEW)
    expect(readFileSync(target, 'utf8')).toBe(NEW)
    expect(readdirSync(dir)).toEqual(['weights.json'])
  })

  it.each(['write', 'sync', 'rename'] as const)(
    'keeps the old file intact and cleans up when the %s step fails',
    async (step) => {
      const target = join(dir, 'weights.json')
      writeFileSync(target, OLD)
      await expect(writeFileAtomic(target, NEW, faulty(step))).rejects.toThrow()
      expect(readFileSync(target, 'utf8')).toBe(OLD)
      expect(readdirSync(dir)).toEqual(['weights.json'])
    }
  )

  it('never creates a partial file where there was none', async () => {
    const target = join(dir, 'fresh.json')
    await expect(writeFileAtomic(target, NEW, faulty('write'))).rejects.toThrow(/ENOSPC/)
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('saveWithDialog', () => {
  it('returns null and writes nothing when cancelled', async () => {
    const write = vi.fn()
    const dialog = vi.fn(async () => ({ canceled: true }))
    expect(await saveWithDialog(dialog, dir, 'lesson.json', NEW, write)).toBeNull()
    expect(write).not.toHaveBeenCalled()
  })

  it('offers a sanitised name in the default folder and writes where the user chose', async () => {
    const chosen = join(dir, 'chosen.json')
    const dialog = vi.fn(async (_options: { defaultPath: string }) => ({ canceled: false, filePath: chosen }))
    expect(await saveWithDialog(dialog, dir, '../../etc/passwd', NEW)).toBe(chosen)
    expect(dialog.mock.calls[0][0]).toMatchObject({ defaultPath: join(dir, 'passwd.json') })
    expect(readFileSync(chosen, 'utf8')).toBe(NEW)
  })
})

describe('sanitizeFileName', () => {
  it.each([
    ['adam-lr1e-4.json', 'adam-lr1e-4.json'],
    ['weights', 'weights.json'],
    ['..\\..\\Windows\\system.ini', 'system.ini.json'],
    ['/etc/passwd', 'passwd.json'],
    ['.hidden.json', 'hidden.json'],
    ['a\u0000b<c>:d|e?.json', 'abcde.json'],
    ['', 'weights.json'],
    ['...', 'weights.json'],
    ['优化器-权重.json', '优化器-权重.json']
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected)
  })

  it('caps the length', () => {
    const name = sanitizeFileName('x'.repeat(500))
    expect(name.length).toBeLessThanOrEqual(120)
    expect(name.endsWith('.json')).toBe(true)
  })
})
