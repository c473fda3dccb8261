import { describe, expect, it, vi } from 'vitest'
import { electronStub } from './electron-mock'

vi.mock('electron', () => electronStub())
const { openWithDialog, MAX_WEIGHTS_FILE_BYTES } = await import('../../src-main/main/open-file')

const io = (size: number, file = true) => ({
  stat: vi.fn(async () => ({ size, isFile: () => file })),
  readFile: vi.fn(async () => '{"format":"optim-lab/state-dict"}')
})
const picked = (path: string) => async () => ({ canceled: false, filePaths: [path] })

describe('openWithDialog', () => {
  it('reads the chosen file', async () => {
    const files = io(100)
    expect(await openWithDialog(picked('/home/s/w.json'), files)).toEqual({ name: 'w.json', text: '{"format":"optim-lab/state-dict"}' })
  })

  it('returns null when cancelled, reading nothing', async () => {
    const files = io(100)
    expect(await openWithDialog(async () => ({ canceled: true, filePaths: [] }), files)).toBeNull()
    expect(files.stat).not.toHaveBeenCalled()
  })

  it('refuses a file above the size limit before reading it', async () => {
    const files = io(MAX_WEIGHTS_FILE_BYTES + 1)
    await expect(openWithDialog(picked('/home/s/huge.json'), files)).rejects.toThrow(/huge\.json is 256 MiB, more than the 256 MiB a weights file may be; it was not read/)
    expect(files.readFile).not.toHaveBeenCalled()
  })

  it('refuses something that is not a file', async () => {
    await expect(openWithDialog(picked('/dev'), io(0, false))).rejects.toThrow(/is not a file/)
  })
})
