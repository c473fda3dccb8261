/**
 * Text typed into the param-group table and the scheduler fields, turned into what PyTorch's
 * constructors are given. A blank is "not given" (the group inherits, the scheduler takes its default);
 * a value that is not a number stays text, so the shared check quotes it back.
 */
import { OPTIMIZER_DEFAULTS, hyperparametersOf, type Hyperparameters, type OptimizerName, type SchedulerName, type SchedulerOptionName } from '../../../src-main/shared/config'

export type SchedulerChoice = SchedulerName | 'none'
export type Texts = Record<string, string>

/** How a scheduler option is typed in: a number, a list (`10, 20`), one of some words, or True/False. */
export type OptionKind = { kind: 'number' } | { kind: 'list' } | { kind: 'choice'; values: readonly string[] } | { kind: 'flag' }

const CHOICES: Partial<Record<SchedulerOptionName, readonly string[]>> = {
  anneal_strategy: ['cos', 'linear'],
  mode: ['min', 'max'],
  threshold_mode: ['rel', 'abs']
}

export function optionKind(name: SchedulerOptionName): OptionKind {
  const values = CHOICES[name]
  if (values) return { kind: 'choice', values }
  if (name === 'cycle_momentum' || name === 'three_phase') return { kind: 'flag' }
  if (name === 'milestones' || name === 'max_lr' || name === 'min_lr') return { kind: 'list' }
  return { kind: 'number' }
}

/** A typed number, or the text itself so the check can quote it ("must be a number, got "x""). */
function numberOf(text: string): number | string {
  const value = Number(text)
  return text.trim() !== '' && Number.isFinite(value) ? value : text
}

/** Option text → the value PyTorch's constructor would be given; undefined for a blank. */
export function parseOption(name: SchedulerOptionName, text: string | undefined): unknown {
  const trimmed = (text ?? '').trim()
  if (trimmed === '') return undefined
  const kind = optionKind(name)
  if (kind.kind === 'flag') return trimmed === 'True'
  if (kind.kind === 'choice') return trimmed
  if (kind.kind === 'list') {
    const items = trimmed.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean).map(numberOf)
    if (name !== 'milestones' && items.length === 1) return items[0]
    return items.every((item) => typeof item === 'number') ? items : trimmed
  }
  return numberOf(trimmed)
}

/** A group's option texts → its dict entries (only the ones typed), for `optimizer`. */
export function parseGroup(optimizer: OptimizerName, texts: Texts, inherited: Hyperparameters): Partial<Hyperparameters> {
  const entry: Record<string, unknown> = {}
  for (const key of hyperparametersOf(optimizer)) {
    const fallback = OPTIMIZER_DEFAULTS[optimizer][key]
    if (Array.isArray(fallback)) {
      const pair = [0, 1].map((k) => (texts[`${key}.${k}`] ?? '').trim())
      if (pair.every((text) => text === '')) continue
      const base = (inherited[key] as [number, number] | undefined) ?? fallback
      entry[key] = pair.map((text, k) => (text === '' ? base[k] : numberOf(text)))
      continue
    }
    const text = (texts[key] ?? '').trim()
    if (text === '') continue
    entry[key] = typeof fallback === 'boolean' ? text === 'True' : numberOf(text)
  }
  return entry as Partial<Hyperparameters>
}

/** A config value as the text a field shows (lists as `10, 20`, booleans as Python's True/False). */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}
