/**
 * The loss chart's tools: CSV export (every step of every run, the console's exact numbers), PNG
 * export, EMA smoothing with the raw trace kept faint, and log-log axes.
 */
import { readFile } from 'node:fs/promises'
import type { Locator } from '@playwright/test'
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

const BLUE = [0x00, 0x72, 0xb2] // Okabe–Ito blue, the first run's colour

/** Canvas pixels close to `rgb` whose alpha lies in [minAlpha, maxAlpha]. */
function pixels(chart: Locator, rgb: number[], minAlpha: number, maxAlpha: number): Promise<number> {
  return chart.evaluate(
    (element, [rgb, minAlpha, maxAlpha]) => {
      const canvas = element as HTMLCanvasElement
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let count = 0
      for (let i = 0; i < data.length; i += 4) {
        const a = data[i + 3]
        if (a >= (minAlpha as number) && a <= (maxAlpha as number) && (rgb as number[]).every((c, k) => Math.abs(data[i + k] - c) < 24)) count++
      }
      return count
    },
    [rgb, minAlpha, maxAlpha] as const
  )
}

test('Export CSV holds every step of every run, as the console prints them', async ({ labPage: lab }) => {
  const page = lab.page
  await expect(lab.button('Export CSV')).toBeDisabled()
  await lab.configure({ seed: 1, optimizer: 'SGD', lr: '1e-5', steps: 20 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 20\/20 /, { timeout: 20_000 })
  await lab.configure({ optimizer: 'RMSprop', lr: '1e-4', steps: 30 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 30\/30 /, { timeout: 20_000 })

  const downloading = page.waitForEvent('download')
  await lab.button('Export CSV').click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('optim-lab-losses.csv')
  const rows = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n').map((row) => row.split(','))
  expect(rows[0]).toEqual(['step', '#1 SGD lr=1e-05 seed 1', '#2 RMSprop lr=0.0001 seed 1'])
  expect(rows).toHaveLength(31)
  expect(rows.slice(1).map((row) => Number(row[0]))).toEqual(Array.from({ length: 30 }, (_, k) => k))
  expect(rows.slice(1, 21).every((row) => Number.isFinite(Number(row[1])) && row[1] !== '')).toBe(true)
  expect(rows.slice(21).every((row) => row[1] === '')).toBe(true)

  // The second run's column is, string for string, the console's `t loss` lines (top and bottom).
  const checked = new Set<number>()
  for (const where of ['top', 'bottom'] as const) {
    await lab.scrollConsoleTo(where)
    await expect(lab.consoleLines().first()).toHaveText(where === 'top' ? /^0 / : /^\d+ /)
    for (const line of await lab.consoleLines().allTextContents()) {
      const [step, loss] = line.split(' ')
      expect(rows[Number(step) + 1][2]).toBe(loss)
      checked.add(Number(step))
    }
  }
  expect(checked.has(0) && checked.has(29)).toBe(true)
  await expect(lab.page.getByText('Downloaded optim-lab-losses.csv')).toBeVisible()
})

test('Export PNG saves the chart as drawn, on an opaque background', async ({ labPage: lab }) => {
  await lab.configure({ steps: 15 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 15\/15 /, { timeout: 20_000 })
  const downloading = lab.page.waitForEvent('download')
  await lab.button('Export PNG').click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('optim-lab-loss-chart.png')
  const png = await readFile(await download.path())
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const size = await lab.lossChart().evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height])
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(size)
  // The PNG, decoded by the browser: opaque everywhere, with the run's line in it.
  const counts = await lab.page.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }))
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
    const context = canvas.getContext('2d')!
    context.drawImage(bitmap, 0, 0)
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height)
    let transparent = 0
    let blue = 0
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 255) transparent++
      if (Math.abs(data[i] - 0x00) < 24 && Math.abs(data[i + 1] - 0x72) < 24 && Math.abs(data[i + 2] - 0xb2) < 24) blue++
    }
    return { transparent, blue }
  }, [...png])
  expect(counts.transparent).toBe(0)
  expect(counts.blue).toBeGreaterThan(100)
})

test('smoothing draws an EMA over a faint raw trace; log x makes the axes log-log', async ({ labPage: lab }) => {
  const chart = lab.lossChart()
  await lab.configure({ optimizer: 'SGD', lr: '1e-4', steps: 120 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 120\/120 /, { timeout: 20_000 })
  await expect.poll(() => pixels(chart, BLUE, 200, 255)).toBeGreaterThan(200)
  // Pixels about as opaque as the raw trace's core (35 %); a solid line has a few at its edges.
  const faint = (): Promise<number> => pixels(chart, BLUE, 70, 110)
  const faintRaw = await faint()

  const slider = lab.page.getByRole('slider', { name: exactName('Smoothing') })
  await expect(slider).toHaveValue('0')
  await slider.fill('0.9')
  await expect(lab.page.locator('#chart-smoothing + .value')).toHaveText('0.90')
  // The raw trace stays, faint (partly transparent); the smoothed one is drawn solid.
  await expect.poll(faint).toBeGreaterThan(faintRaw + 150)
  expect(await pixels(chart, BLUE, 200, 255)).toBeGreaterThan(200)
  const held = Number(await chart.getAttribute('data-points'))

  // Log x: step 0 has no place on a log axis, so each curve drops that one point.
  const linear = await chart.screenshot()
  await lab.page.getByRole('checkbox', { name: exactName('Log x axis') }).check()
  await lab.logScaleToggle().check()
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBe(held - 2)
  await expect.poll(async () => (await chart.screenshot()).equals(linear)).toBe(false)

  // Back to raw: one curve again, solid.
  await slider.fill('0')
  await expect.poll(faint).toBeLessThan(faintRaw + 80)
})
