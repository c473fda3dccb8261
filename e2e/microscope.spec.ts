/**
 * The optimizer-state microscope in web mode: heatmap and histogram of a state tensor, a weight
 * picked, one real update stepped through with Adam's algorithm box, and the box's θ_t checked
 * against the weights file exported afterwards. Controls by role and exact name only.
 */
import { readFile } from 'node:fs/promises'
import AxeBuilder from '@axe-core/playwright'
import type { WeightsFile } from '../src-main/shared/weights-file'
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'
import { MicroscopePanel } from './pages/microscope-panel'

test('shows exp_avg_sq of 0.weight as a heatmap and a histogram, then steps one weight through Adam’s update', async ({
  labPage: lab,
  page
}) => {
  await lab.configure({ seed: 0, optimizer: 'Adam', lr: '1e-4', steps: 20 })
  // Step from idle starts a paused run; two steps give Adam its state.
  await lab.stepButton().click()
  await expect(lab.status()).toHaveText(/^step 1\/20 · loss \d/)
  await lab.stepButton().click()
  await expect(lab.status()).toHaveText(/^step 2\/20 · loss \d/)

  const scope = new MicroscopePanel(page)
  await scope.open()
  await expect(scope.toggle()).toHaveAttribute('aria-expanded', 'true')
  await scope.parameterSelect().selectOption('0.weight')
  await expect(scope.viewSelect().locator('option')).toHaveText([
    'param (θ)', 'grad (∇θ)', 'Δθ of the last step', 'effective lr |Δθ| / |g|', 'exp_avg', 'exp_avg_sq'
  ])
  await scope.viewSelect().selectOption('exp_avg_sq')

  // Heatmap: one pixel per weight of the [100, 1000] matrix, painted in more than one colour.
  const heatmap = scope.heatmap('exp_avg_sq', '0.weight', '100 × 1000')
  await expect(heatmap).toBeVisible()
  await expect.poll(async () => (await scope.canvasPixels(heatmap)).painted).toBe(100 * 1000)
  const pixels = await scope.canvasPixels(heatmap)
  expect([pixels.width, pixels.height]).toEqual([1000, 100])
  expect(pixels.varied).toBeGreaterThan(1000)
  // The legend names the smallest and largest value: v_t ≥ 0, and not all equal.
  const legend = scope.legend()
  await expect(legend).toContainText(/min \d/)
  const [min, max] = (await legend.textContent())!.match(/min (\S+)\s+max (\S+)/)!.slice(1).map(Number)
  expect(min).toBeGreaterThanOrEqual(0)
  expect(max).toBeGreaterThan(min)

  // Histogram of the same values.
  await scope.modeRadio('Histogram').check()
  const histogram = scope.histogram('exp_avg_sq', '0.weight', '100 × 1000')
  await expect(histogram).toBeVisible()
  // Its bars, in the light theme's accent colour, fill a good part of the canvas.
  await expect.poll(() => scope.canvasPixelsOfColour(histogram, '#0b63b6')).toBeGreaterThan(2000)
  await scope.modeRadio('Heatmap').check()

  // The effective lr: Adam's per-weight step over |g|, summarised by its median next to the lr set.
  await scope.viewSelect().selectOption('effective_lr')
  await expect(scope.heatmap('effective_lr', '0.weight', '100 × 1000')).toBeVisible()
  await expect(scope.root).toContainText(/Median effective lr \S+ \(the lr set: 0\.0001\)\./)
  const median = Number((await scope.root.textContent())!.match(/Median effective lr (\S+) /)![1])
  expect(median).toBeGreaterThan(0)
  await scope.viewSelect().selectOption('exp_avg_sq')
  await expect(heatmap).toBeVisible()

  // A click on the heatmap picks the weight under it.
  const area = (await heatmap.boundingBox())!
  await heatmap.click({ position: { x: area.width * 0.5055, y: area.height * 0.505 } })
  await expect(scope.rowField()).toHaveValue('50')
  expect(Math.abs(Number(await scope.columnField().inputValue()) - 505)).toBeLessThanOrEqual(1)

  // Step through one update of 0.weight[3, 7].
  await scope.pickWeight(3, 7)
  await expect(scope.stepThroughButton()).toBeEnabled()
  await scope.stepThroughButton().click()
  await expect(lab.status()).toHaveText(/^step 3\/20 · loss \d/)
  await expect(scope.box()).toBeVisible()
  const rows = scope.boxRows()
  await expect(rows.getByRole('rowheader')).toHaveText(['t', 'g_t', 'm_t', 'v_t', 'm̂_t', 'v̂_t', 'θ_t'])
  await expect(rows.nth(0).getByRole('cell').last()).toHaveText('3.0')
  await expect(rows.nth(2).getByRole('cell').nth(1)).toContainText('← β1·m_{t−1} + (1 − β1)·g_t')
  const valueOf = async (i: number): Promise<number> => Number(await rows.nth(i).getByRole('cell').last().textContent())
  const theta = await valueOf(6)
  const v = await valueOf(3)
  expect(Number.isFinite(theta)).toBe(true)
  await expect(scope.root).toContainText('θ_t equals the weight optimizer.step() wrote, bit for bit')
  await expect(scope.root).toContainText('Adam: the update of 0.weight[3, 7] at step 3')

  // The exported weights hold the θ_t and v_t the box showed.
  const download = await lab.exportWeights()
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as WeightsFile
  expect(file.meta.steps).toBe(3)
  const index = 3 * 1000 + 7
  expect(Math.fround(file.state_dict['0.weight'].data[index])).toBe(theta)
  const state = file.optimizer!.state_dict.state[0] as Record<string, { data: number[] } | number>
  expect(Math.fround((state.exp_avg_sq as { data: number[] }).data[index])).toBe(v)
  expect(state.step).toBe(3)
})

test('the microscope follows a training run live and refuses to step through while it runs', async ({ labPage: lab, page }) => {
  await lab.configure({ seed: 1, optimizer: 'SGD', lr: '1e-4', steps: 400 })
  const scope = new MicroscopePanel(page)
  await scope.open()
  await lab.train()
  await scope.parameterSelect().selectOption('2.bias')
  const heatmap = scope.heatmap('param', '2.bias', '10')
  await expect(heatmap).toBeVisible()
  await expect(scope.stepThroughButton()).toBeDisabled()
  // Live: the view is fetched again as the run trains, not only once.
  const shownStep = async (): Promise<number> => Number((await scope.root.getByText(/After \d+ updates/).textContent())!.match(/\d+/)![0])
  const first = await shownStep()
  await expect.poll(shownStep).toBeGreaterThan(first)
  await expect(lab.status()).toHaveText(/^step 400\/400 · loss \d/, { timeout: 30_000 })
  // Once finished, the view shown is the final weights'.
  await expect(scope.root.getByText('After 400 updates.')).toBeVisible()
  await scope.viewSelect().selectOption('delta')
  const delta = scope.heatmap('delta', '2.bias', '10')
  await expect(delta).toBeVisible()
  expect((await scope.canvasPixels(delta)).painted).toBe(10)
  await expect(scope.stepThroughButton()).toBeDisabled()
})

for (const { locale, heading, toggle, view, step, stepThrough, box } of [
  { locale: 'en-US', heading: 'Optimizer-state microscope', toggle: 'Optimizer-state microscope', view: 'Inspected view', step: 'Step', stepThrough: 'Step through update', box: 'Algorithm box' },
  { locale: 'zh-CN', heading: '优化器状态显微镜', toggle: '优化器状态显微镜', view: '查看的内容', step: '单步', stepThrough: '逐行查看更新', box: '算法框' }
]) {
  test.describe(`microscope in ${locale}`, () => {
    test.use({ locale })

    test('every control is named, and axe finds no serious or critical violation with the box open', async ({ page, consoleErrors }) => {
      void consoleErrors
      await page.goto('/')
      const button = (name: string) => page.getByRole('button', { name: exactName(name) })
      await button(step).waitFor()
      await page.getByRole('spinbutton').first().waitFor()
      await button(step).click()
      await button(toggle).click()
      const region = page.getByRole('region', { name: exactName(heading) })
      await region.getByRole('combobox', { name: exactName(view) }).selectOption('exp_avg')
      await expect(region.getByRole('img')).toHaveCount(1)
      await button(stepThrough).click()
      await expect(region.getByRole('table', { name: exactName(box) })).toBeVisible()
      const { violations } = await new AxeBuilder({ page })
        .include('#microscope-section')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
        .analyze()
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
    })
  })
}
