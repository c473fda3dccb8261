/**
 * Data: a synthetic 2-D set trained with CrossEntropyLoss follows real PyTorch and shows its decision
 * boundary; a CSV file is previewed as tensor shapes, refused line by line when broken, and trained on.
 */
import AxeBuilder from '@axe-core/playwright'
import { loadFixture } from '../tests/helpers/fixtures'
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

const moons = loadFixture<{ runs: { name: string; losses: number[] }[] }>('2.13.0', 'classification').runs.find((r) => r.name === 'moons_sgd')!
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))

test('moons + CrossEntropyLoss follows PyTorch and draws a decision boundary', async ({ labPage: lab }) => {
  const page = lab.page
  await page.getByRole('combobox', { name: exactName('Dataset') }).selectOption({ label: 'Moons (2 classes)' })
  await expect(lab.numberField('D_in')).toHaveValue('2')
  await expect(lab.numberField('D_out')).toHaveValue('2')
  await expect(page.getByText('loss_fn = torch.nn.CrossEntropyLoss(reduction="mean")', { exact: true })).toBeVisible()
  // scripts/torch/gen_classification.py's moons_sgd: seed 0, 200 points, Linear(2,16)-ReLU-Linear(16,2), SGD(0.1, momentum 0.9).
  await lab.configure({ optimizer: 'SGD', lr: '0.1', steps: 60, seed: 0 })
  await lab.numberField('momentum').fill('0.9')
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 60\/60 · loss /, { timeout: 30_000 })

  await lab.scrollConsoleTo('top')
  expect(rel(Number((await lab.consoleLine(0).textContent())!.split(' ')[1]), moons.losses[0])).toBeLessThanOrEqual(1e-6)
  await lab.scrollConsoleTo('bottom')
  expect(rel(Number((await lab.consoleLine(59).textContent())!.split(' ')[1]), moons.losses[59])).toBeLessThanOrEqual(1e-5)

  const boundary = page.getByRole('img', { name: /^Decision boundary/ })
  await expect(boundary).toBeVisible()
  await expect(page.getByText(/^Training accuracy \d+\.\d% at step 60$/)).toBeVisible()
  const percent = Number(/(\d+\.\d)%/.exec((await page.getByText(/^Training accuracy/).textContent())!)![1])
  expect(percent).toBeGreaterThan(80)
  // Both classes' regions are painted.
  const colours = await boundary.evaluate((element) => {
    const canvas = element as HTMLCanvasElement
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
    const near = (i: number, rgb: number[]) => rgb.every((c, k) => Math.abs(data[i + k] - c) < 30)
    let blue = 0
    let orange = 0
    for (let i = 0; i < data.length; i += 4) {
      if (near(i, [0x00, 0x72, 0xb2])) blue++
      if (near(i, [0xe6, 0x9f, 0x00])) orange++
    }
    return { blue, orange }
  })
  expect(colours.blue).toBeGreaterThan(50)
  expect(colours.orange).toBeGreaterThan(50)

  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
})

test('CSV import: problems by line, then a preview of the tensors, then training on it', async ({ labPage: lab }) => {
  const page = lab.page
  await page.getByRole('combobox', { name: exactName('Dataset') }).selectOption({ label: 'CSV file' })
  await expect(page.getByText('No CSV file imported yet.')).toBeVisible()
  const file = page.getByLabel(exactName('CSV file to import'))

  await file.setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('x1,x2,label\n1,2,0\n3,4\n\nfive,6,1\n') })
  const alert = page.getByRole('alert').filter({ hasText: 'broken.csv cannot be used' })
  await expect(alert).toContainText('Line 3 has 2 values; the header (first row) has 3.')
  await expect(alert).toContainText('Line 4 is empty.')
  await expect(alert).toContainText('Line 5, column “x1”: “five” is not a finite number.')

  await file.setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('') })
  await expect(page.getByRole('alert').filter({ hasText: 'empty.csv cannot be used' })).toContainText('The file has no data rows.')

  const rows = ['x1,x2,label', '0,0,a', '0.1,0.2,a', '0.2,-0.1,a', '1,1,b', '1.1,0.9,b', '0.9,1.2,b']
  await file.setInputFiles({ name: 'two-blobs.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') })
  const preview = page.getByRole('region', { name: 'Preview of two-blobs.csv' })
  await expect(preview).toContainText('x: [6, 2] float32 · y: [6] class indices, 2 classes')
  await expect(preview).toContainText('Features: x1, x2 · targets: label (a, b)')
  await preview.getByRole('button', { name: exactName('Use this data') }).click()
  await expect(page.getByText('Training on two-blobs.csv: 6 rows.')).toBeVisible()
  await expect(lab.numberField('N')).toHaveValue('6')
  await expect(page.getByText('loss_fn = torch.nn.CrossEntropyLoss(reduction="mean")', { exact: true })).toBeVisible()

  // Regression on the same file's first column as target is a different reading of it.
  await page.getByRole('combobox', { name: exactName('Task') }).selectOption('regression')
  await expect(page.getByRole('alert').filter({ hasText: 'two-blobs.csv cannot be used' })).toContainText('“a” is not a finite number')
  await page.getByRole('combobox', { name: exactName('Task') }).selectOption('classification')

  await lab.configure({ steps: 40 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 40\/40 · loss /, { timeout: 30_000 })
  await expect(page.getByRole('img', { name: /^Decision boundary/ })).toBeVisible()
  await expect(page.getByText(/^Training accuracy 100\.0% at step 40$/)).toBeVisible()
})
