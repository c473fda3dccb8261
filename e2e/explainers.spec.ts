/**
 * The explainers in web mode, found by role and accessible name: sum vs mean states N·D_out for the
 * current configuration and switches to the equivalent lr; the zero_grad-mistake preset shows
 * |p.grad| growing step after step and still matches PyTorch 2.13 when finished.
 */
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

test('sum vs mean: 640 for the lesson; the button switches to "mean" with the equivalent lr', async ({ labPage: lab, page }) => {
  const card = page.getByRole('region', { name: exactName('reduction="sum" vs "mean"') })
  await expect(card.getByText('N·D_out = 64·10 = 640', { exact: true })).toBeVisible()
  const reduction = page.getByRole('combobox', { name: exactName('Loss reduction') })
  await expect(reduction).toHaveValue('sum')

  // Adam (the lesson): the scale cancels, the lr stays.
  await expect(card.getByText(/Adam divides each update by a running size of the gradient/)).toBeVisible()
  await card.getByRole('button', { name: exactName('Switch to "mean" with lr = 0.0001') }).click()
  await expect(reduction).toHaveValue('mean')
  await expect(lab.learningRateField()).toHaveValue('0.0001')

  // SGD: back to "sum" first, then the lr is multiplied by N·D_out.
  await card.getByRole('button', { name: exactName('Switch to "sum" with lr = 0.0001') }).click()
  await lab.configure({ optimizer: 'SGD', lr: '1e-6' })
  await expect(reduction).toHaveValue('sum')
  await expect(card.getByText(/SGD's update is lr × gradient/)).toBeVisible()
  await card.getByRole('button', { name: exactName('Switch to "mean" with lr = 0.00064') }).click()
  await expect(reduction).toHaveValue('mean')
  await expect(lab.learningRateField()).toHaveValue('0.00064')

  // D_out changes the factor.
  await lab.numberField('D_out').fill('5')
  await expect(card.getByText('N·D_out = 64·5 = 320', { exact: true })).toBeVisible()
})

test('the zero_grad mistake: |p.grad| grows at every update, and the finished run matches PyTorch 2.13', async ({ labPage: lab, page }) => {
  test.setTimeout(120_000)
  await page.getByRole('combobox', { name: exactName('Lesson preset') }).selectOption({ label: 'The zero_grad() mistake' })
  await expect(page.getByRole('combobox', { name: exactName('zero_grad() before backward()') })).toHaveValue('skip')
  await expect(lab.stepsField()).toHaveValue('300')

  const card = page.getByRole('region', { name: exactName('zero_grad()') })
  await expect(card.getByText(/Without zero_grad\(\), backward\(\) adds the new gradient/)).toBeVisible()
  const after = card.getByRole('table', { name: exactName('p.grad right after zero_grad()') })
  await expect(after.getByRole('row', { name: /0\.weight/ })).toContainText("last step's gradient, kept")

  for (let i = 1; i <= 4; i++) {
    await lab.stepButton().click()
    await expect(lab.status()).toHaveText(new RegExp(`^step ${i}/300 · loss `))
  }
  const history = card.getByRole('table', { name: exactName('|p.grad| used by each update') })
  await expect(history.getByRole('row')).toHaveCount(5) // header + updates 0..3
  const column = await history.locator('tbody tr td:first-of-type').allTextContents()
  const norms = column.map(Number)
  expect(norms).toHaveLength(4)
  for (let t = 1; t < norms.length; t++) expect(norms[t]).toBeGreaterThan(norms[t - 1])
  await expect(card.getByText(/^\|0\.weight\.grad\| grew at every update shown, .*: the gradients are accumulating\.$/)).toBeVisible()

  await lab.resumeButton().click()
  await expect(lab.status()).toHaveText(/^step 300\/300 · loss /, { timeout: 90_000 })
  await expect(page.getByRole('list', { name: exactName('PyTorch check') })).toHaveText(/: matches PyTorch 2\.13\.0 within tolerance$/)
})

test('set_to_none and zeros: p.grad after zero_grad() is None or a zeros tensor of the parameter\'s shape', async ({ labPage: lab, page }) => {
  await expect(lab.root).toBeVisible()
  const card = page.getByRole('region', { name: exactName('zero_grad()') })
  const after = card.getByRole('table', { name: exactName('p.grad right after zero_grad()') })
  await expect(after.getByRole('row', { name: /0\.weight/ })).toContainText('None')
  await page.getByRole('combobox', { name: exactName('zero_grad() before backward()') }).selectOption('zeros')
  await expect(after.getByRole('row', { name: /0\.weight/ })).toContainText('zeros, shape [100, 1000]')
  await expect(after.getByRole('row', { name: /2\.bias/ })).toContainText('zeros, shape [10]')
})
