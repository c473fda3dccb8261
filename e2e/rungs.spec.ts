/**
 * The tutorial's five rungs in web mode: the five-rungs preset fills the panel, a short run draws
 * five curves on the rungs' chart, each rung's Python is shown on demand (with the panel's values
 * filled in), and the largest difference between the curves is stated at float32-rounding scale.
 */
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

const RUNG_NAMES = ['numpy', 'tensors', 'autograd', 'nn', 'optim']

test('the five-rungs preset: five curves, each rung\'s code on demand, the largest difference at float32 rounding', async ({ labPage, page }) => {
  void labPage // opens the app
  test.setTimeout(200_000)
  await page.getByRole('combobox', { name: exactName('Lesson preset') }).selectOption({ label: 'The five rungs: numpy → tensors → autograd → nn → optim' })
  await expect(page.getByText('Loaded into The five rungs: press Run the five rungs.')).toBeVisible()
  const lr = page.getByRole('spinbutton', { name: exactName('Rungs learning rate') })
  const steps = page.getByRole('spinbutton', { name: exactName('Rungs steps') })
  await expect(lr).toHaveValue('0.00001')
  await expect(steps).toHaveValue('100')
  await expect(page.getByRole('spinbutton', { name: exactName('Rungs seed') })).toHaveValue('0')
  await expect(page.getByText('N, D_in, H, D_out = 64, 1000, 100, 10;')).toBeVisible()

  // The preset as it is: the lesson's net, 100 lockstep steps.
  const run = page.getByRole('button', { name: exactName('Run the five rungs') })
  await run.click()
  await expect(page.getByText('Step 100/100 of every rung')).toBeVisible({ timeout: 150_000 })
  await expect(run).toBeEnabled()
  // Each rung's curve matches PyTorch's (the preset's reference, real PyTorch 2.13).
  const check = page.getByRole('list', { name: exactName('PyTorch check') }).getByRole('listitem')
  await expect(check).toHaveText(RUNG_NAMES.map((name, i) => `rung ${i + 1}: ${name}: matches PyTorch 2.13.0 within tolerance`))

  // Five curves on the rungs' own chart, drawn; the main chart's status is untouched.
  const chart = page.getByRole('img', { name: exactName('Five rungs chart') })
  await expect(chart).toHaveAttribute('data-datasets', '5')
  await expect.poll(() => chart.evaluate((c) => Number((c as HTMLCanvasElement).dataset.points ?? 0))).toBe(5 * 100)

  // The sentence: the two rungs that differ most, at which step, by how much; float32 rounding only.
  const sentence = page.getByText(/^Largest difference between any two curves: rung \d \(\w+\) and rung \d \(\w+\) at step \d+, .* apart, relative \S+ \(over 100 steps\)\./)
  await expect(sentence).toBeVisible()
  const relative = Number(await sentence.getAttribute('data-relative'))
  expect(relative).toBeGreaterThan(0)
  expect(relative).toBeLessThan(1e-4)
  expect((await sentence.textContent())!).toContain(`relative ${relative.toExponential(2)}`)

  // Each rung's code, on demand, with the panel's values in it.
  for (const [i, name] of RUNG_NAMES.entries()) {
    const button = page.getByRole('button', { name: exactName(`Rung ${i + 1} code: ${name}`) })
    await button.click()
    await expect(button).toHaveAttribute('aria-pressed', 'true')
    const code = page.getByLabel(exactName(`Python of rung ${i + 1}: ${name}`))
    await expect(code).toBeVisible()
    await expect(code).toContainText(`# Rung ${i + 1}:`)
    await expect(code).toContainText('learning_rate = 1e-05')
    await expect(code).toContainText('for t in range(100):')
  }
  await expect(page.getByLabel(exactName('Python of rung 5: optim'))).toContainText('optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)')
  await expect(page.getByLabel(exactName('Python of rung 1: numpy'))).toHaveCount(0)
})

test('the rungs stop on request, keeping the difference over the steps taken; a bad lr is refused in PyTorch\'s words', async ({ labPage, page }) => {
  void labPage // opens the app
  test.setTimeout(90_000)
  const steps = page.getByRole('spinbutton', { name: exactName('Rungs steps') })
  // The series' defaults: lr 1e-6, 500 steps; long enough here to be stopped midway.
  await expect(steps).toHaveValue('500')
  await expect(page.getByRole('spinbutton', { name: exactName('Rungs learning rate') })).toHaveValue('0.000001')
  await steps.fill('50000')
  const run = page.getByRole('button', { name: exactName('Run the five rungs') })
  await run.click()
  await expect(page.getByText(/^Step [1-9]\d*\/50000 of every rung$/)).toBeVisible({ timeout: 60_000 })
  await page.getByRole('button', { name: exactName('Stop the rungs') }).click()
  await expect(page.getByText(/^Stopped after \d+ steps\.$/)).toBeVisible({ timeout: 20_000 })
  // Stopped after a step or two, the five curves may still be identical to the bit.
  await expect(page.getByText(/^(Largest difference between any two curves: .* relative \S+ \(over \d+ steps\)\.|All five curves are identical, bit for bit, over \d+ steps\.)/)).toBeVisible()
  await expect(run).toBeEnabled()

  await page.getByRole('spinbutton', { name: exactName('Rungs learning rate') }).fill('-1')
  await run.click()
  await expect(page.getByText('The rungs could not start: startRungs: config.lr: Invalid learning rate: -1')).toBeVisible()
})
