/**
 * Web mode, hostile input and failures: weights files that must change nothing, a good file that
 * resumes, a terminated engine worker, a diverging run, a 100 000-step run that keeps the page
 * small, and settings that survive a reload (or a corrupt copy of them).
 */
import { readFile } from 'node:fs/promises'
import { expect, test } from './fixtures'
import { exactName, type LabPage } from './pages/lab-page'

const FIRST_RUN_COLOUR = '#0072B2'

function importButton(lab: LabPage) {
  return lab.page.getByRole('button', { name: exactName('Import weights') })
}

/** Imports `text` as a file named `name` through the page's file input. */
async function importText(lab: LabPage, name: string, text: string): Promise<void> {
  // Import weights' own input (the lab has other file inputs: CSV data, lesson bundles).
  await lab.page.getByRole('toolbar', { name: 'Training controls' }).locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) })
}

async function useSmallNet(lab: LabPage): Promise<void> {
  await lab.numberField('N').fill('8')
  await lab.numberField('D_in').fill('5')
  await lab.numberField('Hidden layer 1 width').fill('6')
  await lab.numberField('D_out').fill('3')
}

test('malformed or hostile weights files give a clear error and change nothing', async ({ labPage: lab }) => {
  await expect(importButton(lab)).toBeEnabled()
  const before = await lab.status().textContent()
  const cases: [string, string, RegExp][] = [
    ['notes.txt', 'these are my notes', /Could not import notes\.txt: Cannot import this weights file: it is not JSON/],
    ['model.pt.json', JSON.stringify({ format: 'pytorch', version: 1 }), /format: must be "optim-lab\/state-dict", got "pytorch"/],
    ['deep.json', '['.repeat(5000) + ']'.repeat(5000), /nests more than 12 levels deep/],
    [
      'nan.json',
      JSON.stringify({
        format: 'optim-lab/state-dict',
        version: 1,
        architecture: [{ type: 'Linear', in_features: 2, out_features: 1, bias: true }],
        state_dict: { '0.weight': { shape: [1, 2], dtype: 'float32', data: [0.5, null] }, '0.bias': { shape: [1], dtype: 'float32', data: [0] } },
        meta: { seed: 0, steps: 0, final_loss: null, app: 'x' }
      }),
      /state_dict\["0\.weight"\]\.data\[1\]: must be a finite number, got null/
    ],
    [
      'shapes.json',
      JSON.stringify({
        format: 'optim-lab/state-dict',
        version: 1,
        architecture: [{ type: 'Linear', in_features: 2, out_features: 1, bias: true }],
        state_dict: { '0.weight': { shape: [2, 1], dtype: 'float32', data: [1, 2] }, '0.bias': { shape: [1], dtype: 'float32', data: [0] } },
        meta: { seed: 0, steps: 0, final_loss: null, app: 'x' }
      }),
      /state_dict\["0\.weight"\]\.shape: must be \[1, 2\], got \[2, 1\]/
    ]
  ]
  for (const [name, text, message] of cases) {
    await importText(lab, name, text)
    await expect(lab.alert()).toContainText(message)
    await expect(lab.alert()).toContainText('Nothing was changed.')
    await expect(lab.status()).toHaveText(before!)
    await expect(lab.identityRows()).toHaveCount(0)
    await expect(lab.seedField()).toHaveValue('0')
    await expect(lab.numberField('D_in')).toHaveValue('1000')
  }
  expect(await lab.chartPixelsOfColour(FIRST_RUN_COLOUR)).toBe(0)
  await expect(lab.trainButton()).toBeEnabled()
})

test('an exported weights file imports as a paused run that resumes training', async ({ labPage: lab }) => {
  await useSmallNet(lab)
  await lab.configure({ seed: 5, optimizer: 'RMSprop', lr: '1e-3', steps: 30 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 30\/30 · loss \d/, { timeout: 20_000 })
  const download = await lab.exportWeights()
  const text = await readFile(await download.path(), 'utf8')

  await lab.configure({ seed: 0, optimizer: 'SGD', lr: '0.1', steps: 10 })
  await importText(lab, 'handout.json', text)
  await expect(lab.page.getByText(/Imported handout\.json: its weights and RMSprop state after 30 steps/)).toBeVisible()
  await expect(lab.status()).toHaveText(/^step 0\/10 · loss /)
  await expect(lab.resumeButton()).toBeEnabled()
  await expect(lab.optimizerSelect()).toHaveValue('RMSprop')
  await expect(lab.seedField()).toHaveValue('5')
  await expect(lab.identityRows()).toHaveCount(4)
  await lab.resumeButton().click()
  await expect(lab.status()).toHaveText(/^step 10\/10 · loss \d/, { timeout: 20_000 })
})

test('a terminated engine worker is noticed and replaced; settings and finished runs stay', async ({ labPage: lab }) => {
  await useSmallNet(lab)
  await lab.configure({ seed: 3, steps: 20 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 20\/20 /, { timeout: 20_000 })
  const finished = await lab.status().textContent()

  // The worker ends itself, as a worker killed by the browser would: no error event, just gone.
  const [worker] = lab.page.workers()
  await worker.evaluate(() => (self as unknown as { close(): void }).close())
  await expect(lab.alert()).toContainText('the engine worker was terminated', { timeout: 10_000 })
  await expect(lab.alert()).toContainText(/restarted/i)
  await expect(lab.status()).toHaveText(finished!)
  await expect(lab.seedField()).toHaveValue('3')
  await expect(lab.consoleLines().first()).toHaveText(/^\d+ \d/)

  await lab.configure({ seed: 4 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 20\/20 /, { timeout: 20_000 })
  await expect(lab.exportButton()).toBeEnabled()
})

test('a diverging run stops at the step whose loss is not finite, keeping everything before it', async ({ labPage: lab }) => {
  await useSmallNet(lab)
  await lab.configure({ optimizer: 'SGD', lr: '1e10', steps: 1000 })
  await lab.train()
  await expect(lab.alert()).toContainText(/The loss became (NaN|Infinity) at step (\d+): the updates diverged/, { timeout: 20_000 })
  const step = Number(/at step (\d+)/.exec((await lab.alert().textContent())!)![1])
  expect(step).toBeGreaterThan(0)
  await expect(lab.status()).toHaveText(new RegExp(`^step ${step}/1000 · loss \\d`))
  await expect(lab.page.getByText('failed', { exact: true })).toBeVisible()
  await expect(lab.page.getByText(`${step} lines`)).toBeVisible()
  await lab.scrollConsoleTo('bottom')
  await expect(lab.consoleLines().last()).toHaveText(new RegExp(`^${step - 1} \\d`))
  await expect(lab.trainButton()).toBeEnabled()
})

test('100 000 steps: every loss kept, while the console and the chart stay small', async ({ labPage: lab }) => {
  test.setTimeout(120_000)
  await useSmallNet(lab)
  await lab.configure({ optimizer: 'SGD', lr: '1e-3', steps: 100_000 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 100000\/100000 · loss \d/, { timeout: 100_000 })
  await expect(lab.page.getByText('100000 lines')).toBeVisible()
  expect(await lab.consoleLines().count()).toBeLessThan(100)
  const points = Number(await lab.lossChart().getAttribute('data-points'))
  expect(points).toBeGreaterThan(1000)
  expect(points).toBeLessThanOrEqual(4096)
  expect(await lab.page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(2000)
  await lab.scrollConsoleTo('bottom')
  await expect(lab.consoleLines().last()).toHaveText(/^99999 \d/)
})

test('the last configuration, the log scale and recent runs survive a reload; a corrupt copy is set aside', async ({ labPage: lab }) => {
  await useSmallNet(lab)
  await lab.configure({ seed: 7, optimizer: 'AdamW', lr: '0.002', steps: 15 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 15\/15 /, { timeout: 20_000 })
  await lab.logScaleToggle().check()

  await lab.page.reload()
  await lab.trainButton().waitFor()
  await expect(lab.seedField()).toHaveValue('7')
  await expect(lab.optimizerSelect()).toHaveValue('AdamW')
  await expect(lab.learningRateField()).toHaveValue('0.002')
  await expect(lab.logScaleToggle()).toBeChecked()
  await expect(lab.page.getByRole('button', { name: /^Use the settings of AdamW lr=0\.002 seed 7$/ })).toBeVisible()

  await lab.page.evaluate(() => localStorage.setItem('optim-lab:settings', '{"version": 1, "lastConfig": {"seed": '))
  await lab.page.reload()
  await lab.trainButton().waitFor()
  await expect(lab.alert()).toContainText('Your saved settings could not be read (it is not valid JSON), so the defaults are in use.')
  await expect(lab.alert()).toContainText(/kept as optim-lab:settings\.corrupt-/)
  await expect(lab.seedField()).toHaveValue('0')
  const keys = await lab.page.evaluate(() => Object.keys(localStorage))
  expect(keys.some((k) => k.startsWith('optim-lab:settings.corrupt-'))).toBe(true)
})
