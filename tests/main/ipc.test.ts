import { describe, expect, it, vi } from 'vitest'
import { electronStub } from './electron-mock'

vi.mock('electron', () => electronStub())

const { IPC } = await import('../../src-main/shared/protocol')
const { defaultSettings } = await import('../../src-main/shared/settings')
const { IpcValidationError, registerIpcHandlers, validateSaveWeightsArgs } = await import('../../src-main/main/ipc')
const { trustedUrlPredicate } = await import('../../src-main/main/security')
type IpcEventLike = import('../../src-main/main/ipc').IpcEventLike

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown

const ownContents = { id: 1 }
const weights = JSON.stringify({ format: 'optim-lab/state-dict', version: 1, state_dict: {} })

function setup() {
  const on = new Map<string, Listener>()
  const handle = new Map<string, Listener>()
  const deps = {
    isTrustedUrl: trustedUrlPredicate(undefined),
    isOwnWebContents: (sender: unknown) => sender === ownContents,
    connectEngine: vi.fn(),
    saveWeights: vi.fn(async () => '/home/student/weights.json'),
    openWeights: vi.fn(async () => ({ name: 'w.json', text: '{}' })),
    loadSettings: vi.fn(async () => ({ settings: defaultSettings(), problem: null })),
    saveSettings: vi.fn(async () => undefined),
    log: vi.fn()
  }
  registerIpcHandlers({ on: (c, l) => on.set(c, l), handle: (c, l) => void handle.set(c, l) }, deps)
  return { on, handle, deps }
}

const fromPage: IpcEventLike = { sender: ownContents, senderFrame: { url: 'app://bundle/index.html', parent: null } }
const untrustedEvents: [string, IpcEventLike][] = [
  ['another origin', { sender: ownContents, senderFrame: { url: 'https://evil.example/', parent: null } }],
  ['a subframe', { sender: ownContents, senderFrame: { url: 'app://bundle/index.html', parent: {} } }],
  ['a destroyed frame', { sender: ownContents, senderFrame: null }],
  ['another WebContents', { sender: { id: 2 }, senderFrame: { url: 'app://bundle/index.html', parent: null } }]
]

describe('IPC handlers', () => {
  it('registers exactly the preload channels', () => {
    const { on, handle } = setup()
    expect([...on.keys()]).toEqual([IPC.connectEngine])
    expect([...handle.keys()]).toEqual([IPC.saveWeights, IPC.openWeights, IPC.loadSettings, IPC.saveSettings])
  })

  it.each(untrustedEvents)('refuses openWeights, loadSettings and saveSettings from %s', async (_what, event) => {
    const { handle, deps } = setup()
    await expect(handle.get(IPC.openWeights)!(event)).rejects.toThrow(/Refused/)
    await expect(handle.get(IPC.loadSettings)!(event)).rejects.toThrow(/Refused/)
    await expect(handle.get(IPC.saveSettings)!(event, defaultSettings())).rejects.toThrow(/Refused/)
    expect(deps.openWeights).not.toHaveBeenCalled()
    expect(deps.loadSettings).not.toHaveBeenCalled()
    expect(deps.saveSettings).not.toHaveBeenCalled()
  })

  it('opens weights and loads settings for our page', async () => {
    const { handle, deps } = setup()
    expect(await handle.get(IPC.openWeights)!(fromPage)).toEqual({ name: 'w.json', text: '{}' })
    expect(await handle.get(IPC.loadSettings)!(fromPage)).toEqual({ settings: defaultSettings(), problem: null })
    await expect(handle.get(IPC.openWeights)!(fromPage, '/etc/passwd')).rejects.toThrow(/takes no arguments/)
    expect(deps.openWeights).toHaveBeenCalledTimes(1)
  })

  it('saves settings only when they match the schema, naming the field that does not', async () => {
    const { handle, deps } = setup()
    await handle.get(IPC.saveSettings)!(fromPage, defaultSettings())
    expect(deps.saveSettings).toHaveBeenCalledWith(defaultSettings())
    const bad = { ...defaultSettings(), ui: { logScale: 'yes', language: 'auto' } }
    await expect(handle.get(IPC.saveSettings)!(fromPage, bad)).rejects.toThrow(/settings\.ui\.logScale/)
    await expect(handle.get(IPC.saveSettings)!(fromPage, { ...defaultSettings(), extra: 1 })).rejects.toThrow(/settings\.extra/)
    await expect(handle.get(IPC.saveSettings)!(fromPage)).rejects.toThrow(/saveSettings takes/)
    expect(deps.saveSettings).toHaveBeenCalledTimes(1)
  })

  it('connects the engine for our page only', () => {
    const { on, deps } = setup()
    on.get(IPC.connectEngine)!(fromPage)
    expect(deps.connectEngine).toHaveBeenCalledTimes(1)
    for (const [, event] of untrustedEvents) on.get(IPC.connectEngine)!(event)
    on.get(IPC.connectEngine)!(fromPage, 'unexpected')
    expect(deps.connectEngine).toHaveBeenCalledTimes(1)
    expect(deps.log).toHaveBeenCalledTimes(untrustedEvents.length + 1)
  })

  it.each(untrustedEvents)('refuses saveWeights from %s', async (_what, event) => {
    const { handle, deps } = setup()
    await expect(handle.get(IPC.saveWeights)!(event, 'w.json', weights)).rejects.toThrow(/Refused/)
    expect(deps.saveWeights).not.toHaveBeenCalled()
  })

  it('saves valid weights from our page', async () => {
    const { handle, deps } = setup()
    await expect(handle.get(IPC.saveWeights)!(fromPage, 'lesson.json', weights)).resolves.toBe('/home/student/weights.json')
    expect(deps.saveWeights).toHaveBeenCalledWith('lesson.json', weights)
  })

  it.each([
    ['no arguments', []],
    ['a name that is not a string', [42, weights]],
    ['a very long name', ['x'.repeat(300), weights]],
    ['contents that are not a string', ['w.json', { format: 'optim-lab/state-dict' }]],
    ['empty contents', ['w.json', '']],
    ['contents that are not JSON', ['w.json', '{"format": ']],
    ['JSON that is not a weights file', ['w.json', '{"format": "something-else"}']],
    ['JSON null', ['w.json', 'null']],
    ['an extra argument', ['w.json', weights, '/etc/passwd']]
  ])('rejects saveWeights with %s', async (_what, args) => {
    const { handle, deps } = setup()
    expect(() => validateSaveWeightsArgs(args)).toThrow(IpcValidationError)
    await expect(handle.get(IPC.saveWeights)!(fromPage, ...args)).rejects.toBeInstanceOf(IpcValidationError)
    expect(deps.saveWeights).not.toHaveBeenCalled()
  })
})
