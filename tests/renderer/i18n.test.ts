/**
 * Both catalogues speak every message: the same keys, no empty text, the same `{placeholders}`.
 * A key added to one language and not the other fails here (and zh-CN.ts fails to typecheck).
 */
import { describe, expect, it } from 'vitest'
import { en } from '../../src-renderer/src/i18n/en'
import { detectLocale } from '../../src-renderer/src/i18n/locale'
import { zhCN } from '../../src-renderer/src/i18n/zh-CN'

const catalogues = { en, 'zh-CN': zhCN } as Record<string, Record<string, string>>
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message catalogues', () => {
  it('en and zh-CN have exactly the same keys', () => {
    const enKeys = Object.keys(en).sort()
    const zhKeys = Object.keys(zhCN).sort()
    expect(zhKeys.filter((k) => !(k in en)), 'keys only in zh-CN').toEqual([])
    expect(enKeys.filter((k) => !(k in zhCN)), 'keys missing from zh-CN').toEqual([])
    expect(zhKeys).toEqual(enKeys)
  })

  it.each(Object.keys(catalogues))('%s has no empty or blank message', (locale) => {
    const empty = Object.entries(catalogues[locale]).filter(([, text]) => typeof text !== 'string' || text.trim() === '')
    expect(empty.map(([key]) => key)).toEqual([])
  })

  it('every translation fills the same placeholders as the English text', () => {
    const mismatched = Object.keys(en).filter((key) => placeholders(en[key as keyof typeof en]).join() !== placeholders(catalogues['zh-CN'][key]).join())
    expect(mismatched).toEqual([])
  })

  it('zh-CN carries the contract names of DESIGN §8', () => {
    expect({
      train: zhCN['action.train'],
      pause: zhCN['action.pause'],
      resume: zhCN['action.resume'],
      stop: zhCN['action.stop'],
      step: zhCN['action.step'],
      export: zhCN['action.export'],
      optimizer: zhCN['config.optimizer'],
      lr: zhCN['config.lr'],
      steps: zhCN['config.steps'],
      seed: zhCN['config.seed']
    }).toEqual({
      train: '训练',
      pause: '暂停',
      resume: '继续',
      stop: '停止',
      step: '单步',
      export: '导出权重',
      optimizer: '优化器',
      lr: '学习率',
      steps: '步数',
      seed: '随机种子'
    })
  })

  it.each(Object.keys(catalogues))('%s names no two controls with one contract name', (locale) => {
    const m = catalogues[locale]
    const contract = ['action.train', 'action.pause', 'action.resume', 'action.stop', 'action.step', 'action.export', 'config.optimizer', 'config.lr', 'config.steps', 'config.seed']
    const names = contract.map((key) => m[key].toLowerCase())
    expect(new Set(names).size).toBe(names.length)
    // No other message may read exactly like one of them (it could end up as a control's name).
    const clashes = Object.entries(m).filter(([key, text]) => !contract.includes(key) && names.includes(text.toLowerCase()))
    expect(clashes.map(([key]) => key)).toEqual([])
  })
})

describe('detectLocale (navigator.languages, most preferred first)', () => {
  it.each([
    [['zh-CN', 'en-US'], 'zh-CN'],
    [['zh'], 'zh-CN'],
    [['zh-Hans-SG'], 'zh-CN'],
    [['zh_TW'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en'],
    [['fr-FR', 'zh-CN'], 'zh-CN'],
    [['fr-FR', 'de'], 'en'],
    [[], 'en']
  ] as [string[], string][])('%j → %s', (languages, locale) => {
    expect(detectLocale(languages)).toBe(locale)
  })
})
