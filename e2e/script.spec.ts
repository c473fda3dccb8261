/** The PyTorch script panel in web mode: Save downloads the form's run as a .py, Copy puts it on the clipboard. */
import { readFile } from 'node:fs/promises'
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

test('Save PyTorch script downloads the configured run; Copy PyTorch script copies the same text', async ({ labPage: lab, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await lab.configure({ optimizer: 'SGD', lr: '1e-6', seed: 4, steps: 7 })
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: exactName('Save PyTorch script') }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('optim_lab_sgd_seed4.py')
  const text = await readFile((await file.path())!, 'utf8')
  expect(text).toContain('import torch')
  expect(text).toContain('torch.manual_seed(4)')
  expect(text).toMatch(/torch\.optim\.SGD\(/)
  expect(text).toMatch(/lr=1e-06/)

  await page.getByRole('button', { name: exactName('Copy PyTorch script') }).click()
  await expect(page.getByText('Copied to the clipboard.')).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text)
})
