/**
 * The main side of the preload's bridge. Every handler first checks who is calling (the top frame
 * of a trusted page in our own window: Electron security checklist #17), then the arguments.
 * Training traffic never comes here: it flows over the engine MessagePort.
 */
import { IPC } from '../shared/protocol'
import { validateSettings, type LoadedSettings, type Settings } from '../shared/settings'
import { WEIGHTS_FORMAT } from '../shared/weights-file'
import { isTrustedSender, type FrameLike, type UrlPredicate } from './security'

/** The slice of an Electron IPC event that the handlers read. */
export interface IpcEventLike {
  readonly senderFrame: FrameLike | null
  readonly sender: unknown
}

/** The slice of Electron's ipcMain used here. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void
}

export interface IpcDeps {
  isTrustedUrl: UrlPredicate
  /** Whether the sending WebContents belongs to the app's window. */
  isOwnWebContents(sender: unknown): boolean
  connectEngine(): void
  saveWeights(suggestedName: string, contents: string): Promise<string | null>
  openWeights(): Promise<{ name: string; text: string } | null>
  loadSettings(): Promise<LoadedSettings>
  /** Receives settings already checked against the shared schema. */
  saveSettings(settings: Settings): Promise<void>
  log?(message: string): void
}

/** Weights of the largest allowed configuration fit well below this. */
export const MAX_WEIGHTS_CHARS = 256 * 1024 * 1024
const MAX_NAME_CHARS = 255

export class IpcValidationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IpcValidationError'
  }
}

/** The arguments of `saveWeights`: a short name and a weights file (checked to be one). */
export function validateSaveWeightsArgs(args: unknown[]): { suggestedName: string; contents: string } {
  const [suggestedName, contents] = args
  if (args.length !== 2) throw new IpcValidationError('saveWeights takes (suggestedName, contents)')
  if (typeof suggestedName !== 'string' || suggestedName.length > MAX_NAME_CHARS) {
    throw new IpcValidationError(`suggestedName must be a string of at most ${MAX_NAME_CHARS} characters`)
  }
  if (typeof contents !== 'string' || contents.length === 0 || contents.length > MAX_WEIGHTS_CHARS) {
    throw new IpcValidationError('contents must be a non-empty string of at most 256 MiB')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(contents)
  } catch {
    throw new IpcValidationError('contents is not JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== WEIGHTS_FORMAT) {
    throw new IpcValidationError(`contents is not an "${WEIGHTS_FORMAT}" weights file`)
  }
  return { suggestedName, contents }
}

export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcDeps): void {
  const trusted = (event: IpcEventLike): boolean =>
    deps.isOwnWebContents(event.sender) && isTrustedSender(event.senderFrame, deps.isTrustedUrl)

  ipcMain.on(IPC.connectEngine, (event, ...args) => {
    if (!trusted(event)) return deps.log?.(`Refused ${IPC.connectEngine} from ${event.senderFrame?.url ?? 'unknown frame'}`)
    if (args.length !== 0) return deps.log?.(`Refused ${IPC.connectEngine}: unexpected arguments`)
    deps.connectEngine()
  })

  ipcMain.handle(IPC.saveWeights, async (event, ...args) => {
    if (!trusted(event)) throw new IpcValidationError('Refused: the request did not come from the Optim Lab window')
    const { suggestedName, contents } = validateSaveWeightsArgs(args)
    return deps.saveWeights(suggestedName, contents)
  })

  ipcMain.handle(IPC.openWeights, async (event, ...args) => {
    if (!trusted(event)) throw new IpcValidationError('Refused: the request did not come from the Optim Lab window')
    if (args.length !== 0) throw new IpcValidationError('openWeights takes no arguments')
    return deps.openWeights()
  })

  ipcMain.handle(IPC.loadSettings, async (event, ...args) => {
    if (!trusted(event)) throw new IpcValidationError('Refused: the request did not come from the Optim Lab window')
    if (args.length !== 0) throw new IpcValidationError('loadSettings takes no arguments')
    return deps.loadSettings()
  })

  ipcMain.handle(IPC.saveSettings, async (event, ...args) => {
    if (!trusted(event)) throw new IpcValidationError('Refused: the request did not come from the Optim Lab window')
    if (args.length !== 1) throw new IpcValidationError('saveSettings takes (settings)')
    let settings: Settings
    try {
      settings = validateSettings(args[0])
    } catch (error) {
      throw new IpcValidationError((error as Error).message)
    }
    return deps.saveSettings(settings)
  })
}
