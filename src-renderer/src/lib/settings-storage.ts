/**
 * Where the lab keeps settings and recent runs: the user data folder through the preload in
 * Electron (main/settings-store.ts), localStorage in web mode. Both read through the same schema
 * (shared/settings.ts); a copy that cannot be used is moved aside and the defaults are used.
 */
import type { DesktopApi } from '../../../src-main/shared/protocol'
import { defaultSettings, parseSettings, type LoadedSettings, type Settings } from '../../../src-main/shared/settings'

export interface SettingsStorage {
  load(): Promise<LoadedSettings>
  save(settings: Settings): Promise<void>
}

export const WEB_SETTINGS_KEY = 'optim-lab:settings'

/** Web mode: one localStorage entry; an unusable one is kept under `…corrupt-<time>` and removed. */
export function webSettingsStorage(storage: Storage | null, now: () => Date = () => new Date()): SettingsStorage {
  return {
    async load() {
      let text: string | null
      try {
        if (!storage) throw new Error('this browser offers no local storage')
        text = storage.getItem(WEB_SETTINGS_KEY)
      } catch (error) {
        return { settings: defaultSettings(), problem: { reason: (error as Error).message, movedTo: null } }
      }
      if (text === null) return { settings: defaultSettings(), problem: null }
      const parsed = parseSettings(text)
      if (parsed.ok) return { settings: parsed.settings, problem: null }
      let movedTo: string | null = `${WEB_SETTINGS_KEY}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`
      try {
        storage!.setItem(movedTo, text)
      } catch {
        movedTo = null // no room to keep it; it is dropped rather than left to fail again
      }
      storage!.removeItem(WEB_SETTINGS_KEY)
      return { settings: defaultSettings(), problem: { reason: parsed.reason, movedTo } }
    },
    async save(settings) {
      if (!storage) throw new Error('this browser offers no local storage')
      storage.setItem(WEB_SETTINGS_KEY, JSON.stringify(settings))
    }
  }
}

/** Electron: the preload's named functions. */
export function desktopSettingsStorage(api: DesktopApi): SettingsStorage {
  return { load: () => api.loadSettings(), save: (settings) => api.saveSettings(settings) }
}

export function settingsStorage(): SettingsStorage {
  if (window.optimLab) return desktopSettingsStorage(window.optimLab)
  let storage: Storage | null = null
  try {
    storage = window.localStorage
  } catch {
    storage = null
  }
  return webSettingsStorage(storage)
}
