/**
 * Web mode end to end: the built renderer over http, the engine host in a Web Worker. Every control
 * is found by role and exact name (DESIGN §8); numbers are checked against real PyTorch 2.13 output.
 */
import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES } from '../src-main/shared/config'
import type { WeightsFile } from '../src-main/shared/weights-file'
import { loadFixture } from '../tests/helpers/fixtures'
import { expect, test } from './fixtures'
import { exactName } from './pages/lab-page'

/** The lesson network at seed 3 with Adam(lr=1e-4), run by real PyTorch 2.13 (60 steps). */
const seed3 = loadFixture<{ runs: Record<string, { losses: number[]; param_order: string[] }> }>('2.13.0', 'variants').runs
  .lesson_seed3_adam
/** The tutorial itself: seed 0, Adam(lr=1e-4), 500 steps. */
const lesson = loadFixture<{ runs: { adam: { loss: number[] } } }>('2.13.0', 'workload_seed0').runs.adam

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))
/** Okabe–Ito blue: the first run's line colour. */
const FIRST_RUN_COLOUR = '#0072B2'
const SECOND_RUN_COLOUR = '#E69F00'

test('trains the lesson net at seed 3 and shows status, chart, console, identity table and weights', async ({
  labPage: lab
}) => {
  await lab.configure({ seed: 3, optimizer: 'Adam', lr: '1e-4', steps: 50 })
  await expect(lab.status()).toHaveText('step 0/50 · loss —')
  expect(await lab.chartPixelsOfColour(FIRST_RUN_COLOUR)).toBe(0)

  await lab.train()
  await expect(lab.status()).toHaveText(/^step 50\/50 · loss \d/, { timeout: 30_000 })
  await expect(lab.trainButton()).toBeEnabled()
  await expect(lab.pauseButton()).toBeDisabled()

  // The chart drew the run's line, not just its axes.
  await expect.poll(() => lab.chartPixelsOfColour(FIRST_RUN_COLOUR)).toBeGreaterThan(200)
  expect(await lab.chartPaintedPixels()).toBeGreaterThan(2000)

  // The tutorial's console, first and last line, against PyTorch.
  await lab.scrollConsoleTo('top')
  const first = (await lab.consoleLine(0).textContent())!.split(' ')
  expect(first[0]).toBe('0')
  expect(rel(Number(first[1]), seed3.losses[0])).toBeLessThanOrEqual(1e-6)
  await lab.scrollConsoleTo('bottom')
  const last = (await lab.consoleLine(49).textContent())!.split(' ')
  expect(rel(Number(last[1]), seed3.losses[49])).toBeLessThanOrEqual(1e-5)
  await expect(lab.consoleLines().last()).toHaveText(/^49 \d/)

  // Parameter identity: the optimizer holds the model's own tensors.
  const shapes: Record<string, string> = { '0.weight': '[100, 1000]', '0.bias': '[100]', '2.weight': '[10, 100]', '2.bias': '[10]' }
  await expect(lab.identityRows()).toHaveCount(4)
  for (const [i, name] of seed3.param_order.entries()) {
    const cells = lab.identityRows().nth(i).getByRole('cell')
    const header = lab.identityRows().nth(i).getByRole('rowheader')
    await expect(header).toHaveText(name)
    await expect(cells.nth(0)).toHaveText(shapes[name])
    await expect(cells.last()).toHaveText('same object')
    expect(await cells.nth(1).textContent()).toBe(await cells.nth(2).textContent())
  }

  // Export weights: a .json download in the weights-file format.
  const download = await lab.exportWeights()
  expect(download.suggestedFilename()).toBe('optim-lab-adam-seed3-step50.json')
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as WeightsFile
  expect(file.format).toBe('optim-lab/state-dict')
  expect(file.version).toBe(1)
  expect(Object.keys(file.state_dict)).toEqual(seed3.param_order)
  for (const [name, tensor] of Object.entries(file.state_dict)) {
    const shape = JSON.parse(shapes[name]) as number[]
    expect(tensor.shape).toEqual(shape)
    expect(tensor.data).toHaveLength(shape.reduce((a, b) => a * b, 1))
    expect(tensor.data.every(Number.isFinite)).toBe(true)
  }
  expect(file.optimizer?.type).toBe('Adam')
  const state = file.optimizer!.state_dict.state
  expect(Object.keys(state)).toHaveLength(4)
  for (const entry of Object.values(state)) expect(entry.step).toBe(50)
  expect(file.meta).toMatchObject({ seed: 3, steps: 50 })
})

test('Step from idle starts a paused run and applies exactly one update', async ({ labPage: lab }) => {
  // The lesson as configured on first start: seed 0, Adam, lr 1e-4, 500 steps.
  await expect(lab.stepsField()).toHaveValue('500')
  await lab.stepButton().click()
  await expect(lab.status()).toHaveText(/^step 1\/500 · loss /)
  const { loss } = await lab.readStatus()
  expect(rel(Number(loss), lesson.loss[0])).toBeLessThanOrEqual(1e-6)
  await expect(lab.resumeButton()).toBeEnabled()
  await expect(lab.consoleLines()).toHaveText([`0 ${loss}`])

  await lab.stepButton().click()
  await expect(lab.status()).toHaveText(/^step 2\/500 · loss /)
  await expect(lab.consoleLines()).toHaveCount(2)
  expect(rel(Number((await lab.readStatus()).loss), lesson.loss[1])).toBeLessThanOrEqual(1e-5)
  await expect(lab.identityRows().last().getByRole('cell').last()).toHaveText('same object')

  await lab.stopButton().click()
  await expect(lab.status()).toHaveText(/^step 2\/500 · loss /)
  await expect(lab.trainButton()).toBeEnabled()
})

test('Pause reads Resume while paused; Resume continues; Stop ends the run', async ({ labPage: lab }) => {
  await lab.configure({ steps: 100_000 })
  await lab.train()
  await expect.poll(async () => (await lab.readStatus()).step).toBeGreaterThan(2)

  await lab.pauseButton().click()
  await expect(lab.resumeButton()).toBeVisible()
  await expect(lab.pauseButton()).toHaveCount(0)
  const paused = (await lab.readStatus()).step
  await lab.page.waitForTimeout(400)
  expect((await lab.readStatus()).step).toBe(paused)
  await expect(lab.trainButton()).toBeDisabled()

  // Paused, Step applies one update.
  await lab.stepButton().click()
  await expect(lab.status()).toHaveText(new RegExp(`^step ${paused + 1}/100000 · `))

  await lab.resumeButton().click()
  await expect(lab.pauseButton()).toBeVisible()
  await expect.poll(async () => (await lab.readStatus()).step).toBeGreaterThan(paused + 2)

  await lab.stopButton().click()
  await expect(lab.trainButton()).toBeEnabled()
  await expect(lab.pauseButton()).toBeDisabled()
  await expect(lab.stopButton()).toBeDisabled()
  const stopped = (await lab.readStatus()).step
  await lab.page.waitForTimeout(300)
  expect((await lab.readStatus()).step).toBe(stopped)
  expect(stopped).toBeLessThan(100_000)
})

test('Optimizer lists the nine torch.optim classes, each with PyTorch defaults', async ({ labPage: lab }) => {
  const labels = await lab.optimizerSelect().locator('option').allTextContents()
  expect(labels).toEqual([...OPTIMIZER_NAMES])
  await expect(lab.optimizerSelect()).toHaveValue('Adam')
  await expect(lab.learningRateField()).toHaveValue('0.0001')
  await expect(lab.numberField('eps')).toHaveValue('1e-8')
  await expect(lab.page.getByRole('group', { name: exactName('betas') })).toBeVisible()
  await expect(lab.numberField('betas[1]')).toHaveValue('0.999')

  await lab.configure({ optimizer: 'SGD' })
  await expect(lab.numberField('momentum')).toHaveValue(String(OPTIMIZER_DEFAULTS.SGD.momentum))
  await expect(lab.page.getByRole('checkbox', { name: exactName('nesterov') })).not.toBeChecked()
  await expect(lab.numberField('eps')).toHaveCount(0)
  await lab.configure({ optimizer: 'Adagrad' })
  await expect(lab.numberField('lr_decay')).toHaveValue('0')
  await expect(lab.numberField('eps')).toHaveValue('1e-10')
  await expect(lab.learningRateField()).toHaveValue('0.0001')
})

test('contract names are unique: no other control is called Train, Pause, Stop, Step or Export weights', async ({
  labPage: lab
}) => {
  for (const name of ['Train', 'Pause', 'Stop', 'Step', 'Export weights']) {
    await expect(lab.page.getByRole('button', { name: exactName(name) })).toHaveCount(1)
    await expect(lab.page.getByLabel(exactName(name))).toHaveCount(0)
  }
  for (const name of ['Optimizer', 'Learning rate', 'Steps', 'Seed']) {
    await expect(lab.page.getByLabel(exactName(name))).toHaveCount(1)
  }
  await expect(lab.status()).toHaveCount(1)
  await expect(lab.lossChart()).toHaveCount(1)
  await expect(lab.identityTable()).toHaveCount(1)
})

test('runs overlay on one chart, with a log scale, until cleared', async ({ labPage: lab }) => {
  await lab.configure({ seed: 1, optimizer: 'SGD', lr: '1e-5', steps: 20 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 20\/20 /, { timeout: 20_000 })
  await lab.configure({ optimizer: 'RMSprop', lr: '1e-4' })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 20\/20 /, { timeout: 20_000 })
  await expect.poll(() => lab.chartPixelsOfColour(SECOND_RUN_COLOUR)).toBeGreaterThan(100)
  expect(await lab.chartPixelsOfColour(FIRST_RUN_COLOUR)).toBeGreaterThan(100)

  const linear = await lab.lossChart().screenshot()
  await lab.logScaleToggle().check()
  await expect.poll(async () => (await lab.lossChart().screenshot()).equals(linear)).toBe(false)

  await lab.clearRunsButton().click()
  await expect(lab.status()).toHaveText('step 0/20 · loss —')
  await expect.poll(() => lab.chartPixelsOfColour(SECOND_RUN_COLOUR)).toBe(0)
  await expect(lab.identityRows()).toHaveCount(0)
})

test.describe('engine crash', () => {
  test.use({ allowedConsoleErrors: [/simulated engine crash/] })

  test('reports it, restarts the worker, keeps settings and finished runs', async ({ labPage: lab }) => {
    await lab.configure({ seed: 3, steps: 10 })
    await lab.train()
    await expect(lab.status()).toHaveText(/^step 10\/10 /, { timeout: 20_000 })
    const finished = await lab.status().textContent()

    const [worker] = lab.page.workers()
    await worker.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated engine crash')
      })
    })
    await expect(lab.alert()).toContainText('simulated engine crash')
    await expect(lab.alert()).toContainText(/restarted/i)
    await expect(lab.status()).toHaveText(finished!)
    await expect(lab.seedField()).toHaveValue('3')
    await expect(lab.exportButton()).toBeDisabled()

    // A different seed, so the new curve does not hide under the first one.
    await lab.configure({ seed: 4 })
    await lab.train()
    await expect(lab.status()).toHaveText(/^step 10\/10 /, { timeout: 20_000 })
    await expect(lab.exportButton()).toBeEnabled()
    await expect.poll(() => lab.chartPixelsOfColour(SECOND_RUN_COLOUR)).toBeGreaterThan(100)
  })
})

test('the tutorial run (seed 0, 500 Adam steps) follows PyTorch; screenshots before and after', async ({
  labPage: lab
}) => {
  test.setTimeout(120_000)
  const dirs = ['test-results/screenshots', ...(process.env.UPDATE_DOCS_SCREENSHOTS ? ['docs/screenshots'] : [])]
  dirs.forEach((dir) => mkdirSync(dir, { recursive: true }))
  const shoot = async (name: string): Promise<void> => {
    for (const dir of dirs) await lab.page.screenshot({ path: `${dir}/${name}` })
  }

  await shoot('main-before.png')
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 500\/500 · loss /, { timeout: 100_000 })
  await lab.scrollConsoleTo('top')
  expect(rel(Number((await lab.consoleLine(0).textContent())!.split(' ')[1]), lesson.loss[0])).toBeLessThanOrEqual(1e-6)
  await lab.scrollConsoleTo('bottom')
  const final = Number((await lab.consoleLine(499).textContent())!.split(' ')[1])
  expect(Math.abs(Math.log10(final / lesson.loss[499]))).toBeLessThan(0.5)
  await lab.logScaleToggle().check()
  await lab.page.mouse.move(0, 0)
  await shoot('main-after.png')
})
