/**
 * Lesson presets in web mode: choosing one fills the form (or the race's lanes), and a finished run
 * of it is checked against the shipped PyTorch 2.13 reference curve.
 */
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

test('sum vs mean: the preset fills the form, and the finished run matches PyTorch 2.13', async ({ labPage: lab, page }) => {
  test.setTimeout(90_000)
  const select = page.getByRole('combobox', { name: exactName('Lesson preset') })
  await select.selectOption({ label: 'reduction="sum" vs "mean" with SGD' })
  await expect(lab.optimizerSelect()).toHaveValue('SGD')
  await expect(lab.learningRateField()).toHaveValue('0.00064')
  await expect(lab.stepsField()).toHaveValue('200')
  await expect(page.getByText(/divides the loss, and so every gradient, by N·D_out = 640/)).toBeVisible()
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 200\/200 · loss /, { timeout: 60_000 })
  const check = page.getByRole('list', { name: exactName('PyTorch check') })
  await expect(check).toHaveText(/: matches PyTorch 2\.13\.0 within tolerance$/)
})

test('the race preset fills the lanes; a changed run gets no verdict', async ({ labPage: lab, page }) => {
  await page.getByRole('combobox', { name: exactName('Lesson preset') }).selectOption({ label: 'Momentum vs RMSprop vs Adam' })
  await expect(page.getByRole('combobox', { name: exactName('Race optimizer 1') })).toHaveValue('SGD')
  await expect(page.getByRole('combobox', { name: exactName('Race optimizer 2') })).toHaveValue('RMSprop')
  await expect(page.getByRole('combobox', { name: exactName('Race optimizer 3') })).toHaveValue('Adam')
  await expect(lab.stepsField()).toHaveValue('200')
  await expect(page.getByText('Loaded into the Optimizer race: press Start race.')).toBeVisible()
  await lab.configure({ steps: 3 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 3\/3 · loss /, { timeout: 20_000 })
  await expect(page.getByRole('list', { name: exactName('PyTorch check') })).toHaveCount(0)
})
