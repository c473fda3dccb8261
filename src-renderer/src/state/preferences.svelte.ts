/**
 * Display preferences the lab remembers: language and theme. Kept in localStorage, which web mode
 * and the Electron window (app:// is a standard, secure scheme with its own origin) both have.
 * Choosing applies at once: the language through `t()`, the theme and `lang` on <html>, so the
 * CSS variables and the chart's colours follow without waiting for an effect.
 */
import {
  LANGUAGE_PREFERENCES,
  currentLocale,
  languagePreference,
  setLanguage,
  type LanguagePreference
} from '../i18n/index.svelte'

export const THEMES = ['auto', 'light', 'dark'] as const
export type ThemePreference = (typeof THEMES)[number]

export const PREFERENCES_KEY = 'optim-lab.preferences'

/** Where the preferences text lives (localStorage by default; tests pass a map). */
export interface PreferenceStorage {
  read(): string | null
  write(text: string): void
}

export const localStoragePreferences: PreferenceStorage = {
  read: () => {
    try {
      return localStorage.getItem(PREFERENCES_KEY)
    } catch {
      return null // storage disabled: the lab still works, it just forgets
    }
  },
  write: (text) => {
    try {
      localStorage.setItem(PREFERENCES_KEY, text)
    } catch {
      // Quota or disabled storage: not worth interrupting a lesson for.
    }
  }
}

/** The stored preferences; anything unknown or malformed falls back to 'auto'. */
export function parsePreferences(text: string | null): { language: LanguagePreference; theme: ThemePreference } {
  let value: { language?: unknown; theme?: unknown } = {}
  try {
    const parsed: unknown = text === null ? {} : JSON.parse(text)
    if (parsed && typeof parsed === 'object') value = parsed
  } catch {
    // a damaged entry is the same as none
  }
  const pick = <T extends string>(allowed: readonly T[], raw: unknown): T =>
    allowed.includes(raw as T) ? (raw as T) : allowed[0]
  return { language: pick(LANGUAGE_PREFERENCES, value.language), theme: pick(THEMES, value.theme) }
}

export class Preferences {
  #theme = $state<ThemePreference>('auto')

  constructor(
    private readonly storage: PreferenceStorage = localStoragePreferences,
    private readonly root: HTMLElement = document.documentElement
  ) {
    const stored = parsePreferences(storage.read())
    setLanguage(stored.language)
    this.#theme = stored.theme
    this.#apply()
    window.addEventListener('languagechange', () => this.#apply())
  }

  get language(): LanguagePreference {
    return languagePreference()
  }
  set language(next: LanguagePreference) {
    setLanguage(next)
    this.#changed()
  }

  get theme(): ThemePreference {
    return this.#theme
  }
  set theme(next: ThemePreference) {
    this.#theme = next
    this.#changed()
  }

  #changed(): void {
    this.#apply()
    this.storage.write(JSON.stringify({ language: this.language, theme: this.#theme }))
  }

  /** `lang` for screen readers and CJK font choice; `data-theme` when the student overrides the system. */
  #apply(): void {
    this.root.lang = currentLocale()
    if (this.#theme === 'auto') delete this.root.dataset.theme
    else this.root.dataset.theme = this.#theme
  }
}
