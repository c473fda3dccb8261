/**
 * The one way the renderer turns a message key into text. The language preference is reactive, so
 * switching it re-renders every `t()` call; 'auto' follows the browser's (in Electron, the OS's)
 * preferred languages. Add a locale by importing its catalogue here.
 */
import { en, type MessageKey, type Messages } from './en'
import { detectLocale, type LanguagePreference, type Locale } from './locale'
import { zhCN } from './zh-CN'

export * from './locale'

export const catalogues: Record<Locale, Messages> = { en, 'zh-CN': zhCN }

const browserLanguages = (): readonly string[] =>
  typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en']

let preference = $state<LanguagePreference>('auto')
let systemLanguages = $state.raw<readonly string[]>(browserLanguages())

if (typeof window !== 'undefined') {
  window.addEventListener('languagechange', () => (systemLanguages = browserLanguages()))
}

export function setLanguage(next: LanguagePreference): void {
  preference = next
}

export function languagePreference(): LanguagePreference {
  return preference
}

/** The locale the system asks for, whatever the preference. */
export function systemLocale(): Locale {
  return detectLocale(systemLanguages)
}

export function currentLocale(): Locale {
  return preference === 'auto' ? systemLocale() : preference
}

/** The message for `key` in the active locale, with `{name}` placeholders filled from `values`. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  const template = catalogues[currentLocale()][key] ?? en[key]
  if (!values) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
