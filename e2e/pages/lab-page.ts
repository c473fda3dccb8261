/**
 * Page object for the lab's main screen. Controls are found only by role and exact accessible
 * name, case-insensitively (DESIGN §8). Assertions stay in the specs.
 */
import type { Download, Locator, Page } from '@playwright/test'

/** An accessible name matched exactly, ignoring case. */
export function exactName(name: string): RegExp {
  return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i')
}

export interface RunSettings {
  seed?: number
  optimizer?: string
  lr?: string
  steps?: number
}

export class LabPage {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.locator('#app')
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name: exactName(name) })
  }

  trainButton(): Locator {
    return this.button('Train')
  }
  /** The Pause button; it reads "Resume" while the run is paused. */
  pauseButton(): Locator {
    return this.button('Pause')
  }
  resumeButton(): Locator {
    return this.button('Resume')
  }
  stopButton(): Locator {
    return this.button('Stop')
  }
  stepButton(): Locator {
    return this.button('Step')
  }
  exportButton(): Locator {
    return this.button('Export weights')
  }
  clearRunsButton(): Locator {
    return this.button('Clear runs')
  }

  optimizerSelect(): Locator {
    return this.page.getByRole('combobox', { name: exactName('Optimizer') })
  }
  numberField(name: string): Locator {
    return this.page.getByRole('spinbutton', { name: exactName(name) })
  }
  learningRateField(): Locator {
    return this.numberField('Learning rate')
  }
  stepsField(): Locator {
    return this.numberField('Steps')
  }
  seedField(): Locator {
    return this.numberField('Seed')
  }
  logScaleToggle(): Locator {
    return this.page.getByRole('checkbox', { name: exactName('Log scale') })
  }

  status(): Locator {
    return this.page.getByRole('status')
  }
  lossChart(): Locator {
    return this.page.getByRole('img', { name: exactName('Loss chart') })
  }
  consoleViewport(): Locator {
    return this.page.getByRole('region', { name: exactName('Training output (t loss)') })
  }
  consoleLines(): Locator {
    return this.consoleViewport().locator('.line')
  }
  identityTable(): Locator {
    return this.page.getByRole('table', { name: exactName('Parameter identity') })
  }
  /** Body rows of the identity table (the header row left out). */
  identityRows(): Locator {
    return this.identityTable().locator('tbody').getByRole('row')
  }
  alert(): Locator {
    return this.page.getByRole('alert')
  }

  paramGroupsSelect(): Locator {
    return this.page.getByRole('combobox', { name: exactName('Param groups') })
  }
  /** Group g's cell for `option` in the param-group table (named `param_groups[g] lr`). */
  groupOption(group: number, option: string): Locator {
    return this.page.getByRole('table', { name: exactName('Param group options') }).getByRole('spinbutton', { name: exactName(`param_groups[${group}] ${option}`) })
  }
  schedulerSelect(): Locator {
    return this.page.getByRole('combobox', { name: exactName('Learning-rate scheduler') })
  }
  /** A scheduler option's field (a number, a list such as milestones, or a choice), named as PyTorch names it. */
  schedulerOption(name: string): Locator {
    return this.page.getByRole('group', { name: exactName('Learning-rate scheduler') }).getByLabel(exactName(name))
  }
  lrPreview(): Locator {
    return this.page.getByRole('img', { name: exactName('Learning-rate preview') })
  }
  /** Rows of the preview's table of lr changes: step, then each group's lr. */
  lrChangeRows(): Locator {
    return this.page.getByRole('table', { name: exactName('Learning-rate changes') }).locator('tbody').getByRole('row')
  }
  lrChart(): Locator {
    return this.page.getByRole('img', { name: exactName('Learning-rate chart') })
  }

  /** Opens the lab and waits for its Train button (pass another locator for another language). */
  async open(ready: Locator = this.trainButton()): Promise<void> {
    await this.page.goto('/')
    await ready.waitFor()
  }

  languageSelect(name = 'Language'): Locator {
    return this.page.getByRole('combobox', { name: exactName(name) })
  }
  themeSelect(name = 'Theme'): Locator {
    return this.page.getByRole('combobox', { name: exactName(name) })
  }
  /** The visually hidden live region that speaks a few sentences per run. */
  announcer(): Locator {
    return this.page.locator('#progress-announcer')
  }

  async configure(settings: RunSettings): Promise<void> {
    if (settings.optimizer !== undefined) await this.optimizerSelect().selectOption({ label: settings.optimizer })
    if (settings.lr !== undefined) await this.learningRateField().fill(settings.lr)
    if (settings.steps !== undefined) await this.stepsField().fill(String(settings.steps))
    if (settings.seed !== undefined) await this.seedField().fill(String(settings.seed))
  }

  async train(): Promise<void> {
    await this.trainButton().click()
  }

  /** Press Export weights and return the download it starts. */
  async exportWeights(): Promise<Download> {
    const download = this.page.waitForEvent('download')
    await this.exportButton().click()
    return download
  }

  async scrollConsoleTo(where: 'top' | 'bottom'): Promise<void> {
    await this.consoleViewport().evaluate((element, to) => {
      element.scrollTop = to === 'top' ? 0 : element.scrollHeight
      element.dispatchEvent(new Event('scroll'))
    }, where)
  }

  /** The console line for step t ("t loss"), once scrolled into the rendered window. */
  consoleLine(step: number): Locator {
    return this.consoleLines().filter({ hasText: new RegExp(`^${step} `) })
  }

  /** Step count and loss parsed from the status line `step t/T · loss X`. */
  async readStatus(): Promise<{ step: number; total: number; loss: string }> {
    const text = (await this.status().textContent()) ?? ''
    const match = /^step (\d+)\/(\d+) · loss (\S+)$/.exec(text.trim())
    if (!match) throw new Error(`status reads "${text}"`)
    return { step: Number(match[1]), total: Number(match[2]), loss: match[3] }
  }

  /** How many canvas pixels are close to `hex` (a run's line colour). */
  async chartPixelsOfColour(hex: string): Promise<number> {
    return this.lossChart().evaluate((element, colour) => {
      const canvas = element as HTMLCanvasElement
      const target = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let count = 0
      for (let i = 0; i < data.length; i += 4) {
        const close = target.every((c, k) => Math.abs(data[i + k] - c) < 24) && data[i + 3] > 200
        if (close) count++
      }
      return count
    }, hex)
  }

  /** Non-transparent pixels of the chart canvas (axes, grid, lines). */
  async chartPaintedPixels(): Promise<number> {
    return this.lossChart().evaluate((element) => {
      const canvas = element as HTMLCanvasElement
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let count = 0
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++
      return count
    })
  }
}
