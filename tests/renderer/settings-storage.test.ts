import { describe, expect, it } from 'vitest'
import { LESSON_CONFIG } from '../../src-main/shared/config'
import { defaultSettings } from '../../src-main/shared/settings'
import { WEB_SETTINGS_KEY, webSettingsStorage } from '../../src-renderer/src/lib/settings-storage'

/** The slice of localStorage used, as a Map. */
function memoryStorage(initial: Record<string, string> = {}, quota = Infinity): Storage & { map: Map<string, string> } {
  const map = new Map(Object.entries(initial))
  return {
    map,
    get length() {
      return map.size
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (value.length > quota) throw new Error('QuotaExceededError')
      map.set(key, value)
    },
    removeItem: (key: string) => void map.delete(key),
    clear: () => map.clear()
  }
}

const when = new Date('2026-05-06T07:08:09.010Z')

describe('web settings storage (localStorage)', () => {
  it('saves and loads the same settings', async () => {
    const storage = memoryStorage()
    const store = webSettingsStorage(storage, () => when)
    const settings = { ...defaultSettings(), lastConfig: LESSON_CONFIG }
    await store.save(settings)
    expect(await store.load()).toEqual({ settings, problem: null })
  })

  it('moves a corrupt entry aside and uses the defaults, saying so', async () => {
    const storage = memoryStorage({ [WEB_SETTINGS_KEY]: '{"version":1,"ui":' })
    const loaded = await webSettingsStorage(storage, () => when).load()
    const aside = `${WEB_SETTINGS_KEY}.corrupt-2026-05-06T07-08-09-010Z`
    expect(loaded).toEqual({ settings: defaultSettings(), problem: { reason: 'it is not valid JSON', movedTo: aside } })
    expect([...storage.map.keys()]).toEqual([aside])
  })

  it('uses the defaults when the stored shape is wrong or storage is unavailable', async () => {
    const wrong = memoryStorage({ [WEB_SETTINGS_KEY]: JSON.stringify({ ...defaultSettings(), lastConfig: { ...LESSON_CONFIG, steps: -3 } }) }, 10)
    const loaded = await webSettingsStorage(wrong, () => when).load()
    expect(loaded.settings).toEqual(defaultSettings())
    expect(loaded.problem).toEqual({ reason: 'lastConfig.steps: must be an integer from 0 to 10000000, got -3', movedTo: null })
    expect(wrong.map.size).toBe(0)
    expect((await webSettingsStorage(null).load()).problem?.reason).toMatch(/no local storage/)
  })
})
