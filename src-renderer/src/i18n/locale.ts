/** The locales the lab speaks and how the system's preferred languages pick one (no runes: unit-testable). */

export const LOCALES = ['en', 'zh-CN'] as const
export type Locale = (typeof LOCALES)[number]
/** What the student chose in the Language list; 'auto' follows the system. */
export type LanguagePreference = 'auto' | Locale
export const LANGUAGE_PREFERENCES: readonly LanguagePreference[] = ['auto', ...LOCALES]

/** Each language's name in itself, as language lists show them. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' }

/**
 * The first of `languages` (BCP 47 tags, most preferred first) that the lab speaks. Any Chinese tag
 * (zh, zh-CN, zh-Hans-SG, zh-TW…) reads the simplified catalogue, the only Chinese one; English otherwise.
 */
export function detectLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split(/[-_]/)[0]
    if (primary === 'zh') return 'zh-CN'
    if (primary === 'en') return 'en'
  }
  return 'en'
}
