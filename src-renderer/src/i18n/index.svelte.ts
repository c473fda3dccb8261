/**
 * The one way the renderer turns a message key into text. The active locale is reactive so a
 * language switch re-renders every `t()` call; add a locale by importing its catalogue here.
 */
import { en, type MessageKey, type Messages } from './en'

export type Locale = 'en'

const catalogues: Record<Locale, Messages> = { en }

let locale = $state<Locale>('en')

export function setLocale(next: Locale): void {
  locale = next
}

export function currentLocale(): Locale {
  return locale
}

/** The message for `key` in the active locale, with `{name}` placeholders filled from `values`. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  const template = catalogues[locale][key] ?? en[key]
  if (!values) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
