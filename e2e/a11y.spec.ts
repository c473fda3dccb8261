/**
 * Keyboard and screen reader: axe-core finds no serious or critical violation in English or
 * 简体中文, light or dark, before and after training; every control is reachable with Tab and shows
 * its focus; the documented shortcuts (Space, →, Esc, ?) drive the lab; the live region speaks a
 * few sentences per run, not one per step.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { LabPage, exactName } from './pages/lab-page'

const LOCALES = [
  { locale: 'en-US', train: 'Train', theme: 'Theme', dark: 'Dark' },
  { locale: 'zh-CN', train: '训练', theme: '主题', dark: '深色' }
] as const

/** axe's serious and critical violations as readable lines; the milder ones are noted on the test. */
async function axeProblems(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  const describe = (v: (typeof violations)[number]): string =>
    `${where}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
  for (const v of violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical')) {
    test.info().annotations.push({ type: 'axe (minor/moderate)', description: describe(v) })
  }
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(describe)
}

/** Nothing focused, so the lab's shortcuts apply (a focused button would take Space itself). */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
}

for (const { locale, train, theme, dark } of LOCALES) {
  test.describe(`axe in ${locale}`, () => {
    test.use({ locale })

    test('no serious or critical violations: idle, paused, trained, help open, dark', async ({ page, consoleErrors }) => {
      void consoleErrors
      test.setTimeout(60_000)
      const lab = new LabPage(page)
      await lab.open(lab.button(train))
      const problems = await axeProblems(page, 'idle')

      await lab.stepsField().or(page.getByRole('spinbutton', { name: exactName('步数') })).fill('30')
      await lab.button(train).click()
      await expect(lab.status()).toHaveText(/30\/30/, { timeout: 20_000 })
      problems.push(...(await axeProblems(page, 'trained')))

      // Paused (the Pause button reads Resume / 继续) after one Step from idle.
      await blur(page)
      await page.keyboard.press('ArrowRight')
      await expect(lab.status()).toHaveText(/1\/30/)
      problems.push(...(await axeProblems(page, 'paused')))

      await page.keyboard.press('?')
      await expect(page.getByRole('dialog')).toBeVisible()
      problems.push(...(await axeProblems(page, 'help dialog')))
      await page.keyboard.press('Escape')
      await expect(page.getByRole('dialog')).toBeHidden()

      await lab.themeSelect(theme).selectOption({ label: dark })
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
      problems.push(...(await axeProblems(page, 'dark')))
      expect(problems).toEqual([])
    })
  })
}

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' })

  test('follows prefers-color-scheme; the Theme list overrides it and is remembered', async ({ labPage: lab }) => {
    const page = lab.page
    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await expect(lab.themeSelect()).toHaveValue('auto')
    expect(await background()).toBe('rgb(18, 20, 23)')
    expect(await axeProblems(page, 'system dark')).toEqual([])

    await lab.themeSelect().selectOption('light')
    await expect.poll(background).toBe('rgb(247, 247, 244)')
    await page.reload()
    await expect(lab.themeSelect()).toHaveValue('light')
    expect(await background()).toBe('rgb(247, 247, 244)')
    await lab.themeSelect().selectOption('auto')
    await expect.poll(background).toBe('rgb(18, 20, 23)')
  })
})

test('Space trains and pauses/resumes, → steps, Esc stops; keys typed in a field stay there', async ({ labPage: lab }) => {
  const page = lab.page
  await lab.configure({ steps: 100_000 })
  // Space typed into the Steps field is not a shortcut.
  await lab.stepsField().press('Space')
  await expect(lab.trainButton()).toBeEnabled()

  await blur(page)
  await page.keyboard.press('Space')
  await expect(lab.pauseButton()).toBeEnabled()
  await expect.poll(async () => (await lab.readStatus()).step).toBeGreaterThan(2)

  // Keys wait for the engine's answer like the buttons do (Resume is enabled again once it came).
  await page.keyboard.press('Space')
  await expect(lab.resumeButton()).toBeEnabled()
  const paused = (await lab.readStatus()).step
  await page.keyboard.press('ArrowRight')
  await expect(lab.status()).toHaveText(new RegExp(`^step ${paused + 1}/100000 `))
  await expect(lab.resumeButton()).toBeEnabled()
  await page.keyboard.press('ArrowRight')
  await expect(lab.status()).toHaveText(new RegExp(`^step ${paused + 2}/100000 `))

  await expect(lab.resumeButton()).toBeEnabled()
  await page.keyboard.press('Space')
  await expect(lab.pauseButton()).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(lab.trainButton()).toBeEnabled()
  await expect(lab.stopButton()).toBeDisabled()

  // From idle, → starts a paused run with exactly one update.
  await lab.clearRunsButton().click()
  await blur(page)
  await page.keyboard.press('ArrowRight')
  await expect(lab.status()).toHaveText(/^step 1\/100000 · loss \d/)
  // The loss is shown as soon as it arrives; Stop (and Esc) wait for the step's reply, as above.
  await expect(lab.stopButton()).toBeEnabled()
  await page.keyboard.press('Escape')
  await expect(lab.trainButton()).toBeEnabled()
})

test('the shortcuts are listed in a dialog opened by its button or by ?', async ({ labPage: lab }) => {
  const page = lab.page
  await lab.button('Keyboard shortcuts').click()
  const dialog = page.getByRole('dialog', { name: exactName('Keyboard shortcuts') })
  await expect(dialog).toBeVisible()
  for (const keyName of ['Space', '→', 'Esc', '?']) await expect(dialog.getByRole('rowheader', { name: keyName, exact: true })).toHaveCount(1)
  // Shortcuts are off while it is open: Space does not start training behind it.
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(lab.button('Keyboard shortcuts')).toBeFocused()
  await blur(page)
  await page.keyboard.press('Shift+?')
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: exactName('Close') }).click()
  await expect(dialog).toBeHidden()
  await expect(lab.status()).toHaveText('step 0/500 · loss —')
})

test('Tab reaches every enabled control, each with a visible focus ring', async ({ labPage: lab }) => {
  const page = lab.page
  const total = await page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex="0"]')]
    const reachable = controls.filter((c) => !(c as HTMLButtonElement).disabled && c.getClientRects().length > 0)
    reachable.forEach((c, i) => (c.dataset.kbd = String(i)))
    return reachable.length
  })
  expect(total).toBeGreaterThan(25)
  const seen = new Set<string>()
  const unfocusedRing: string[] = []
  for (let i = 0; i < total + 3; i++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null
      if (!e || e === document.body) return null
      const style = getComputedStyle(e)
      return { kbd: e.dataset.kbd ?? null, name: e.getAttribute('aria-label') ?? e.id ?? e.tagName, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 }
    })
    if (!focused?.kbd) continue
    seen.add(focused.kbd)
    if (!focused.ring) unfocusedRing.push(focused.name)
  }
  expect(seen.size).toBe(total)
  expect(unfocusedRing).toEqual([])
})

test('the live region speaks a few sentences per run, the status line is not read at every step', async ({ labPage: lab }) => {
  const page = lab.page
  await expect(lab.status()).toHaveAttribute('aria-live', 'off')
  await expect(lab.announcer()).toHaveAttribute('aria-live', 'polite')
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { announced: string[] }).announced = seen
    const region = document.getElementById('progress-announcer')!
    new MutationObserver(() => seen.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true })
    const status = document.querySelector('[role=status]')!
    let statusChanges = 0
    new MutationObserver(() => ((window as unknown as { statusChanges: number }).statusChanges = ++statusChanges)).observe(status, {
      childList: true,
      characterData: true,
      subtree: true
    })
  })
  await lab.configure({ steps: 200 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 200\/200 /, { timeout: 30_000 })
  await expect(lab.announcer()).toHaveText(/^Finished: step 200 of 200, loss \d/)
  const { announced, statusChanges } = await page.evaluate(() => {
    const w = window as unknown as { announced: string[]; statusChanges: number }
    return { announced: w.announced, statusChanges: w.statusChanges }
  })
  const distinct = [...new Set(announced.filter(Boolean))]
  expect(distinct[0]).toBe('Training started: Adam, 200 steps.')
  expect(distinct.length).toBeLessThanOrEqual(5)
  expect(statusChanges).toBeGreaterThan(distinct.length)
})
