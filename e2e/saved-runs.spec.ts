/**
 * Saved runs: kept across a reload (IndexedDB), renamed, compared on the loss chart, deleted; a
 * lesson bundle (presets + runs) exported as one file and imported back.
 */
import { readFile } from 'node:fs/promises'
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

test('a saved run survives a reload, is renamed, compared, exported in a bundle, deleted and imported back', async ({ labPage: lab }) => {
  const page = lab.page
  const panel = page.getByRole('region', { name: exactName('Saved runs') })
  await expect(panel.getByRole('button', { name: exactName('Save run') })).toBeDisabled()
  await lab.configure({ seed: 2, optimizer: 'SGD', lr: '1e-5', steps: 25 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 25\/25 /, { timeout: 20_000 })
  const finalStatus = await lab.readStatus()
  await panel.getByRole('button', { name: exactName('Save run') }).click()
  await expect(page.getByText('Saved “#1 SGD lr=1e-05 seed 2”.')).toBeVisible()

  await page.reload()
  await lab.trainButton().waitFor()
  const name = panel.getByRole('textbox', { name: exactName('Name of saved run 1') })
  await expect(name).toHaveValue('#1 SGD lr=1e-05 seed 2')
  await expect(panel).toContainText(`SGD · 25 steps · loss ${finalStatus.loss}`)

  await name.fill('Plain SGD')
  await name.press('Enter')
  await expect(panel.getByRole('checkbox', { name: exactName('Compare Plain SGD') })).toBeVisible()

  // Compared, it is drawn on the chart and written into the CSV export with every step.
  await expect(lab.button('Export CSV')).toBeDisabled()
  await panel.getByRole('checkbox', { name: exactName('Compare Plain SGD') }).check()
  await expect(lab.button('Export CSV')).toBeEnabled()
  const csvDownload = page.waitForEvent('download')
  await lab.button('Export CSV').click()
  const rows = (await readFile(await (await csvDownload).path(), 'utf8')).trimEnd().split('\n')
  expect(rows[0]).toBe('step,Plain SGD (saved)')
  expect(rows).toHaveLength(26)
  await expect.poll(() => lab.chartPixelsOfColour('#D55E00')).toBeGreaterThan(100) // the fifth Okabe–Ito colour

  const bundleDownload = page.waitForEvent('download')
  await panel.getByRole('button', { name: exactName('Export lesson bundle') }).click()
  const bundlePath = await (await bundleDownload).path()
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8'))
  expect(bundle.format).toBe('optim-lab/lesson-bundle')
  expect(bundle.runs).toHaveLength(1)
  expect(bundle.runs[0].name).toBe('Plain SGD')
  expect(bundle.runs[0].losses).toHaveLength(25)
  expect(Object.keys(bundle.runs[0].weights.state_dict)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias'])
  expect(bundle.presets.map((p: { id: string }) => p.id)).toContain('lesson-settings')

  await panel.getByRole('button', { name: exactName('Delete Plain SGD') }).click()
  await expect(panel.getByRole('textbox')).toHaveCount(0)
  await page.reload()
  await lab.trainButton().waitFor()
  await expect(panel.getByRole('textbox')).toHaveCount(0)

  // A broken bundle changes nothing; the exported one brings the run and the presets back.
  await panel.getByLabel(exactName('Import lesson bundle')).setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"x"}') })
  await expect(lab.alert()).toContainText('Could not import bad.json: format: must be "optim-lab/lesson-bundle". Nothing was changed.')
  await panel.getByLabel(exactName('Import lesson bundle')).setInputFiles(bundlePath)
  await expect(page.getByText(/^Imported 1 runs and \d+ presets from /)).toBeVisible()
  await expect(panel.getByRole('textbox', { name: exactName('Name of saved run 1') })).toHaveValue('Plain SGD')
  await lab.configure({ seed: 9, steps: 7 })
  await panel.getByRole('button', { name: exactName('Load preset Settings of the lesson') }).click()
  await expect(lab.seedField()).toHaveValue('2')
  await expect(lab.stepsField()).toHaveValue('25')
})
