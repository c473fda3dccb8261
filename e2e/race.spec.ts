/**
 * The optimizer race in web mode: three lanes from one θ₀ show three identical fingerprints and
 * three curves on the race chart; the Adam lane follows real PyTorch 2.13's tutorial curve.
 */
import { loadFixture } from '../tests/helpers/fixtures'
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

/** The tutorial itself: seed 0, Adam(lr=1e-4), by real PyTorch 2.13. */
const lesson = loadFixture<{ runs: { adam: { loss: number[] } } }>('2.13.0', 'workload_seed0').runs.adam
const LANE_COLOURS = ['#0072B2', '#E69F00', '#009E73']

test('a race of Momentum, RMSprop and Adam: three identical θ₀ fingerprints and three curves', async ({ labPage: lab, page }) => {
  test.setTimeout(60_000)
  const steps = 30
  await lab.configure({ seed: 0, steps })
  await page.getByRole('button', { name: exactName('Use Momentum vs RMSprop vs Adam') }).click()
  await expect(page.getByRole('combobox', { name: exactName('Race optimizer 1') })).toHaveValue('SGD')
  await expect(page.getByRole('spinbutton', { name: exactName('Race momentum 1') })).toHaveValue('0.9')
  await expect(page.getByRole('combobox', { name: exactName('Race optimizer 2') })).toHaveValue('RMSprop')
  await expect(page.getByRole('combobox', { name: exactName('Race optimizer 3') })).toHaveValue('Adam')
  await expect(page.getByRole('spinbutton', { name: exactName('Race learning rate 3') })).toHaveValue('0.0001')

  await page.getByRole('button', { name: exactName('Start race') }).click()
  const table = page.getByRole('table', { name: exactName('Race lanes') })
  const rows = table.getByRole('row')
  await expect(rows).toHaveCount(4)
  for (let i = 1; i <= 3; i++) await expect(rows.nth(i).getByRole('cell').nth(3)).toHaveText(`${steps}/${steps}`, { timeout: 20_000 })

  const fingerprints = await table.locator('code.fingerprint').allTextContents()
  expect(fingerprints).toHaveLength(3)
  expect(fingerprints[0]).toMatch(/^[0-9a-f]{8}$/)
  expect(new Set(fingerprints).size).toBe(1)
  await expect(page.getByText(`All 3 lanes start from the same θ₀ (${fingerprints[0]}).`)).toBeVisible()

  // The Adam lane is the tutorial: its loss after 30 updates is PyTorch's loss at step 30.
  const adamLoss = Number(await rows.nth(3).getByRole('cell').nth(4).textContent())
  expect(Math.abs(adamLoss - lesson.loss[steps]) / lesson.loss[steps]).toBeLessThan(1e-4)

  // Three curves on the race chart, one per lane colour.
  const chart = page.getByRole('img', { name: exactName('Race chart') })
  await expect.poll(() => chart.evaluate((c) => Number((c as HTMLCanvasElement).dataset.points ?? 0))).toBeGreaterThan(3 * 2)
  for (const colour of LANE_COLOURS) {
    await expect
      .poll(() =>
        chart.evaluate((element, hex) => {
          const canvas = element as HTMLCanvasElement
          const target = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16))
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
          let count = 0
          for (let p = 0; p < data.length; p += 4) if (target.every((c, k) => Math.abs(data[p + k] - c) < 24) && data[p + 3] > 200) count++
          return count
        }, colour)
      )
      .toBeGreaterThan(20)
  }
  // The main chart is untouched: the race has its own.
  await expect(lab.status()).toHaveText(`step 0/${steps} · loss —`)
})

test('lanes can be added and removed; a lane pair with different optimizers shares one θ₀', async ({ labPage: lab, page }) => {
  await lab.configure({ seed: 2, steps: 5 })
  await page.getByRole('button', { name: exactName('Remove lane 3') }).click()
  await page.getByRole('button', { name: exactName('Remove lane 2') }).click()
  await page.getByRole('button', { name: exactName('Add lane') }).click()
  await page.getByRole('combobox', { name: exactName('Race optimizer 2') }).selectOption('AdamW')
  await page.getByRole('button', { name: exactName('Start race') }).click()
  const table = page.getByRole('table', { name: exactName('Race lanes') })
  await expect(table.getByRole('row')).toHaveCount(3)
  await expect(table.getByText('5/5')).toHaveCount(2, { timeout: 20_000 })
  const fingerprints = await table.locator('code.fingerprint').allTextContents()
  expect(fingerprints).toHaveLength(2)
  expect(fingerprints[0]).toBe(fingerprints[1])
})
