/**
 * The form's param groups and learning-rate scheduler. What the student types is kept as text,
 * per group and per scheduler, so a blank stays blank: a blank group option inherits the optimizer's
 * defaults (the fields above, as PyTorch's group dicts do) and a blank scheduler option takes
 * PyTorch's default. `part` turns the text into LabConfig's `paramGroups`, `groupHyper` and `scheduler`.
 */
import {
  SCHEDULER_NAMES,
  SCHEDULER_SPECS,
  paramGroupLayout,
  type Hyperparameters,
  type LabConfig,
  type OptimizerName,
  type ParamGroupMode,
  type SchedulerName,
  type SchedulerOptionName
} from '../../../src-main/shared/config'
import { parseGroup, parseOption, textOf, type SchedulerChoice, type Texts } from '../lib/training-options'

/** What the group table and the scheduler fields need of the form. */
interface FormFields {
  dIn: number
  hidden: number[]
  dOut: number
  optimizer: OptimizerName
  hyper: Record<OptimizerName, Hyperparameters>
}

function emptyOptions(): Record<SchedulerName, Texts> {
  return Object.fromEntries(SCHEDULER_NAMES.map((name) => [name, {}])) as Record<SchedulerName, Texts>
}

export class TrainingChoice {
  mode = $state<ParamGroupMode>('single')
  /** `groups[g][key]`: the text of group g's option (`betas.0`, `betas.1` for the pair); '' inherits. */
  groups = $state<Texts[]>([])
  scheduler = $state<SchedulerChoice>('none')
  /** Option texts per scheduler, kept while the student switches between them. */
  options = $state(emptyOptions())

  /** The groups `mode` makes of the form's network (one, or one per Linear). */
  layout = $derived.by(() => paramGroupLayout({ dIn: this.form.dIn, hidden: this.form.hidden, dOut: this.form.dOut, paramGroups: this.mode }))

  /** LabConfig's `paramGroups`, `groupHyper` and `scheduler`; absent when at their defaults. */
  part: Pick<LabConfig, 'paramGroups' | 'groupHyper' | 'scheduler'> = $derived.by(() => {
    const part: Pick<LabConfig, 'paramGroups' | 'groupHyper' | 'scheduler'> = {}
    if (this.mode !== 'single') part.paramGroups = this.mode
    const inherited = this.form.hyper[this.form.optimizer]
    const groupHyper = this.layout.map((_, g) => parseGroup(this.form.optimizer, this.groups[g] ?? {}, inherited))
    if (groupHyper.some((entry) => Object.keys(entry).length > 0)) part.groupHyper = groupHyper
    if (this.scheduler !== 'none') {
      const texts = this.options[this.scheduler]
      const options: Record<string, unknown> = {}
      for (const name of SCHEDULER_SPECS[this.scheduler].options) {
        const value = parseOption(name, texts[name])
        if (value !== undefined) options[name] = value
      }
      part.scheduler = { kind: this.scheduler, options }
    }
    return part
  })

  constructor(private readonly form: FormFields) {}

  /** Param groups `config` asks for. */
  static groupCount(config: LabConfig): number {
    return paramGroupLayout(config).length
  }

  groupText(g: number, key: string): string {
    return this.groups[g]?.[key] ?? ''
  }

  setGroupText(g: number, key: string, text: string): void {
    while (this.groups.length <= g) this.groups.push({})
    this.groups[g][key] = text
  }

  optionText(name: SchedulerOptionName): string {
    return this.scheduler === 'none' ? '' : (this.options[this.scheduler][name] ?? '')
  }

  setOptionText(name: SchedulerOptionName, text: string): void {
    if (this.scheduler !== 'none') this.options[this.scheduler][name] = text
  }

  apply(config: LabConfig): void {
    this.mode = config.paramGroups ?? 'single'
    this.groups = (config.groupHyper ?? []).map((entry) => {
      const texts: Texts = {}
      for (const [key, value] of Object.entries(entry ?? {})) {
        if (Array.isArray(value)) value.forEach((v, k) => (texts[`${key}.${k}`] = String(v)))
        else texts[key] = textOf(value)
      }
      return texts
    })
    this.scheduler = config.scheduler?.kind ?? 'none'
    if (config.scheduler) {
      this.options[config.scheduler.kind] = Object.fromEntries(
        Object.entries(config.scheduler.options).map(([key, value]) => [key, textOf(value)])
      )
    }
  }

  reset(): void {
    this.mode = 'single'
    this.groups = []
    this.scheduler = 'none'
    this.options = emptyOptions()
  }
}
