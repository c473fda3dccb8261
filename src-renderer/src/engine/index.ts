import { PortConnection, type EngineConnection } from './connection'
import { ElectronLink } from './electron'
import { WorkerLink } from './web'

export type { EngineConnection } from './connection'

/** Electron when the preload exposed `window.optimLab`, otherwise web mode's Worker. */
export function connectEngine(): EngineConnection {
  const api = window.optimLab
  return new PortConnection(api ? new ElectronLink(api) : new WorkerLink())
}
