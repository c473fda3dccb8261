/**
 * Learning-rate schedulers and param groups in web mode: the preview before training, the lr drawn
 * under the loss while training, and the exported optimizer state carrying each group's lr. The
 * expected lrs are StepLR's definition (lr · γ^⌊t / step_size⌋), not values read from the app.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import type { WeightsFile } from '../src-main/shared/weights-file'
import { expect, test } from './fixtures'
import { LabPage, exactName } from './pages/lab-page'

/** axe's serious and critical violations on the page as it is. */
async function axeProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

async function exported(lab: LabPage): Promise<WeightsFile> {
  const download = await lab.exportWeights()
  return JSON.parse(await readFile((await download.path())!, 'utf8')) as WeightsFile
}

test('StepLR(step_size=10, gamma=0.5): the preview lists the staircase; 30 steps draw the lr and export the scheduled lr', async ({
  labPage: lab,
  page
}) => {
  await lab.configure({ optimizer: 'Adam', lr: '1e-4', steps: 30 })
  await expect(lab.lrPreview()).toHaveCount(0)
  await lab.schedulerSelect().selectOption({ label: 'StepLR' })
  // step_size has no default: until it is given the form says so and Train waits.
  await expect(lab.alert()).toHaveText('step_size StepLR needs step_size')
  await expect(lab.trainButton()).toBeDisabled()
  await lab.schedulerOption('step_size').fill('10')
  await lab.schedulerOption('gamma').fill('0.5')

  await expect(lab.lrPreview()).toBeVisible()
  const rows = lab.lrChangeRows()
  await expect(rows).toHaveCount(3)
  const expected = [
    ['0', '0.0001'],
    ['10', '5e-05'],
    ['20', '2.5e-05']
  ]
  for (const [i, [step, lr]] of expected.entries()) {
    await expect(rows.nth(i).getByRole('rowheader')).toHaveText(step)
    await expect(rows.nth(i).getByRole('cell')).toHaveText(lr)
  }

  // The generated PyTorch script builds the same scheduler.
  await page.getByText('Show the script').click()
  await expect(page.getByLabel(exactName('PyTorch script code'))).toContainText(
    'scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)'
  )
  await page.getByText('Show the script').click()

  await lab.train()
  await expect(lab.status()).toHaveText(/^step 30\/30 · loss \d/, { timeout: 30_000 })
  await expect(lab.lrChart()).toBeVisible()
  // One point per update of the one group (30 steps, fewer than the canvas's pixels: nothing decimated).
  await expect.poll(async () => Number(await lab.lrChart().getAttribute('data-points'))).toBe(30)

  expect(await axeProblems(page)).toEqual([])

  const file = await exported(lab)
  const [group] = file.optimizer!.state_dict.param_groups as unknown as { lr: number; initial_lr: number }[]
  // 30 scheduler.step() calls after the 30 updates: three halvings of 1e-4.
  expect(group.lr).toBe(1e-4 * 0.5 ** Math.floor(30 / 10))
  expect(group.initial_lr).toBe(1e-4)
})

test('one param group per layer with its own lr: the identity table names each group and the export carries both lrs', async ({
  labPage: lab,
  page
}) => {
  await lab.configure({ optimizer: 'SGD', lr: '1e-6', steps: 5 })
  await lab.paramGroupsSelect().selectOption({ label: 'One group per Linear layer' })
  await lab.groupOption(1, 'lr').fill('2e-6')
  await lab.groupOption(0, 'momentum').fill('0.9')
  await expect(lab.alert()).toHaveCount(0)

  await lab.train()
  await expect(lab.status()).toHaveText(/^step 5\/5 · loss \d/, { timeout: 30_000 })
  const groupOf: Record<string, string> = { '0.weight': '0', '0.bias': '0', '2.weight': '1', '2.bias': '1' }
  await expect(lab.identityRows()).toHaveCount(4)
  for (const [i, [name, group]] of Object.entries(groupOf).entries()) {
    const row = lab.identityRows().nth(i)
    await expect(row.getByRole('rowheader')).toHaveText(name)
    await expect(row.getByRole('cell').nth(3)).toHaveText(`param_groups[${group}]`)
    await expect(row.getByRole('cell').last()).toHaveText('same object')
  }
  // Two groups: the lr chart shows, one line per group.
  await expect.poll(async () => Number(await lab.lrChart().getAttribute('data-points'))).toBe(10)
  expect(await axeProblems(page)).toEqual([])

  const file = await exported(lab)
  const groups = file.optimizer!.state_dict.param_groups as unknown as { lr: number; momentum: number; params: number[] }[]
  expect(groups.map((g) => g.lr)).toEqual([1e-6, 2e-6])
  expect(groups.map((g) => g.momentum)).toEqual([0.9, 0])
  expect(groups.map((g) => g.params)).toEqual([
    [0, 1],
    [2, 3]
  ])
})

test('a bad scheduler option is refused with PyTorch’s message; ReduceLROnPlateau says it cannot be previewed', async ({ labPage: lab }) => {
  await lab.schedulerSelect().selectOption({ label: 'StepLR' })
  await lab.schedulerOption('step_size').fill('0')
  await expect(lab.alert()).toHaveText('step_size must be a positive integer, got 0')
  await expect(lab.schedulerOption('step_size')).toHaveAttribute('aria-invalid', 'true')
  await expect(lab.trainButton()).toBeDisabled()

  await lab.schedulerSelect().selectOption({ label: 'ReduceLROnPlateau' })
  await expect(lab.lrPreview()).toHaveCount(0)
  await expect(lab.page.getByText(/cannot be previewed before training/)).toBeVisible()
  await expect(lab.trainButton()).toBeEnabled()
})

test('the groups and the scheduler of the last run come back after a reload', async ({ labPage: lab, page }) => {
  await lab.configure({ optimizer: 'SGD', lr: '1e-6', steps: 3 })
  await lab.paramGroupsSelect().selectOption({ label: 'One group per Linear layer' })
  await lab.groupOption(1, 'lr').fill('3e-6')
  await lab.schedulerSelect().selectOption({ label: 'MultiStepLR' })
  await lab.schedulerOption('milestones').fill('1, 2')
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 3\/3 · loss \d/, { timeout: 30_000 })

  await page.reload()
  await lab.trainButton().waitFor()
  await expect(lab.schedulerSelect()).toHaveValue('MultiStepLR')
  await expect(lab.schedulerOption('milestones')).toHaveValue('1, 2')
  await expect(lab.paramGroupsSelect()).toHaveValue('per-layer')
  await expect(lab.groupOption(1, 'lr')).toHaveValue('0.000003')
  await expect(lab.groupOption(0, 'lr')).toHaveValue('')
})

test.describe('in a zh-CN browser', () => {
  test.use({ locale: 'zh-CN' })

  test('the param groups, the scheduler and its preview carry Chinese names; PyTorch’s own names stay', async ({ page, consoleErrors }) => {
    void consoleErrors
    await new LabPage(page).open(page.getByRole('button', { name: exactName('训练') }))
    await page.getByRole('combobox', { name: exactName('参数组') }).selectOption({ label: '每个 Linear 层一个参数组' })
    await expect(page.getByRole('table', { name: exactName('参数组选项') }).getByRole('spinbutton', { name: exactName('param_groups[1] lr') })).toBeVisible()
    await page.getByRole('combobox', { name: exactName('学习率调度器') }).selectOption({ label: 'CosineAnnealingLR' })
    await page.getByRole('group', { name: exactName('学习率调度器') }).getByRole('spinbutton', { name: exactName('T_max') }).fill('100')
    await expect(page.getByRole('img', { name: exactName('学习率预览') })).toBeVisible()
    // A cosine changes the lr at every step: the table lists the first ones and counts the rest.
    await expect(page.getByRole('table', { name: exactName('学习率变化') }).locator('tbody').getByRole('row')).toHaveCount(6)
    await expect(page.getByText(/另有 \d+ 处变化/)).toBeVisible()
    expect(await axeProblems(page)).toEqual([])
  })
})
