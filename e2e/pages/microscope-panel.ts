/**
 * Page object for the optimizer-state microscope. Controls are found by role and exact accessible
 * name (DESIGN §8); assertions stay in the spec.
 */
import type { Locator, Page } from '@playwright/test'
import { exactName } from './lab-page'

export class MicroscopePanel {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByRole('region', { name: exactName('Optimizer-state microscope') })
  }

  toggle(): Locator {
    return this.page.getByRole('button', { name: exactName('Optimizer-state microscope') })
  }
  parameterSelect(): Locator {
    return this.root.getByRole('combobox', { name: exactName('Inspected parameter') })
  }
  viewSelect(): Locator {
    return this.root.getByRole('combobox', { name: exactName('Inspected view') })
  }
  modeRadio(name: 'Heatmap' | 'Histogram'): Locator {
    return this.root.getByRole('radio', { name: exactName(name) })
  }
  heatmap(view: string, parameter: string, shape: string): Locator {
    return this.root.getByRole('img', { name: exactName(`Heatmap of ${view} for ${parameter} (${shape})`) })
  }
  histogram(view: string, parameter: string, shape: string): Locator {
    return this.root.getByRole('img', { name: exactName(`Histogram of ${view} for ${parameter} (${shape})`) })
  }
  legend(): Locator {
    return this.root.getByRole('group', { name: exactName('Colour scale') })
  }
  rowField(): Locator {
    return this.root.getByRole('spinbutton', { name: exactName('Weight row') })
  }
  columnField(): Locator {
    return this.root.getByRole('spinbutton', { name: exactName('Weight column') })
  }
  stepThroughButton(): Locator {
    return this.root.getByRole('button', { name: exactName('Step through update') })
  }
  box(): Locator {
    return this.root.getByRole('table', { name: exactName('Algorithm box') })
  }
  /** Body rows of the algorithm box. */
  boxRows(): Locator {
    return this.box().locator('tbody tr')
  }

  async open(): Promise<void> {
    await this.toggle().click()
  }

  /** Picks a weight by typing its position (the change event fires on Tab). */
  async pickWeight(row: number, column: number): Promise<void> {
    await this.rowField().fill(String(row))
    await this.rowField().press('Tab')
    await this.columnField().fill(String(column))
    await this.columnField().press('Tab')
  }

  /** Pixels of a canvas drawn exactly in colour `hex` (#rrggbb). */
  async canvasPixelsOfColour(canvas: Locator, hex: string): Promise<number> {
    return canvas.evaluate((element, rgb) => {
      const c = element as HTMLCanvasElement
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let count = 0
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2] && data[i + 3] === 255) count++
      }
      return count
    }, [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)))
  }

  /** Non-transparent pixels of a canvas and how many of them differ from the first one. */
  async canvasPixels(canvas: Locator): Promise<{ painted: number; varied: number; width: number; height: number }> {
    return canvas.evaluate((element) => {
      const c = element as HTMLCanvasElement
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let painted = 0
      let varied = 0
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue
        painted++
        if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) varied++
      }
      return { painted, varied, width: c.width, height: c.height }
    })
  }
}
