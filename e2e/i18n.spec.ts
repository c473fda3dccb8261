/**
 * 简体中文: a browser asking for zh-CN gets Chinese throughout, with the contract names of DESIGN §8;
 * the Language list switches it and the choice survives a reload.
 */
import { en } from '../src-renderer/src/i18n/en'
import { zhCN } from '../src-renderer/src/i18n/zh-CN'
import { expect, test } from './fixtures'
import { LabPage, exactName } from './pages/lab-page'

const ZH_BUTTONS = ['训练', '暂停', '停止', '单步', '导出权重']
const ZH_FIELDS = ['学习率', '步数', '随机种子']

/**
 * The longest literal piece of every English message, to be looked for in the Chinese page; pieces the
 * translation keeps (PyTorch's own names such as `dtype`) are left out.
 */
const englishOnly = Object.entries(en)
  .map(([key, text]) => ({ zh: zhCN[key as keyof typeof en], piece: text.split(/\{\w+\}/).reduce((a, b) => (b.length > a.length ? b : a)).trim() }))
  .filter(({ zh, piece }) => piece.length >= 4 && !zh.includes(piece))
  .map(({ piece }) => piece)

test.describe('in a zh-CN browser', () => {
  test.use({ locale: 'zh-CN' })

  test('the lab speaks Chinese, with the contract names on the same roles', async ({ page, consoleErrors }) => {
    void consoleErrors
    const lab = new LabPage(page)
    await lab.open(page.getByRole('button', { name: exactName('训练') }))
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')

    for (const name of ZH_BUTTONS) await expect(page.getByRole('button', { name: exactName(name) })).toHaveCount(1)
    await expect(page.getByRole('combobox', { name: exactName('优化器') })).toHaveCount(1)
    for (const name of ZH_FIELDS) await expect(page.getByRole('spinbutton', { name: exactName(name) })).toHaveCount(1)
    await expect(page.getByRole('img', { name: exactName('损失曲线图') })).toHaveCount(1)
    await expect(page.getByRole('table', { name: exactName('参数身份') })).toHaveCount(1)
    await expect(lab.languageSelect('语言')).toHaveValue('auto')
    await expect(lab.themeSelect('主题')).toBeVisible()
    // No English contract name is left.
    for (const name of ['Train', 'Pause', 'Stop', 'Step', 'Export weights']) await expect(lab.button(name)).toHaveCount(0)
    await expect(lab.status()).toHaveText('第 0/500 步 · 损失 —')

    // One step: the status, the Pause button reading 继续 (Resume) and the identity table, in Chinese.
    await page.getByRole('button', { name: exactName('单步') }).click()
    await expect(lab.status()).toHaveText(/^第 1\/500 步 · 损失 \d/)
    await expect(page.getByRole('button', { name: exactName('继续') })).toBeEnabled()
    await expect(page.getByRole('table', { name: '参数身份' }).locator('tbody tr').first()).toContainText('同一对象')

    // The page's visible text outside code (Python and PyTorch names are English on purpose).
    const text = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      const parts: string[] = []
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement
        if (parent && !parent.closest('code, pre, kbd, script, style') && parent.checkVisibility()) parts.push(node.textContent ?? '')
      }
      return parts.join('\n')
    })
    const escape = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const leaked = englishOnly.filter((fragment) => new RegExp(`(^|[^A-Za-z_])${escape(fragment)}($|[^A-Za-z_])`).test(text))
    expect(leaked, 'English messages in the zh-CN page').toEqual([])

    await page.getByRole('button', { name: exactName('停止') }).click()
    await expect(page.getByRole('button', { name: exactName('训练') })).toBeEnabled()
  })

  test('choosing English is remembered across a reload', async ({ page, consoleErrors }) => {
    void consoleErrors
    const lab = new LabPage(page)
    await lab.open(page.getByRole('button', { name: exactName('训练') }))
    await lab.languageSelect('语言').selectOption('en')
    await expect(lab.trainButton()).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await page.reload()
    await expect(lab.trainButton()).toBeVisible()
    await expect(lab.languageSelect()).toHaveValue('en')
    // Back to the system's language.
    await lab.languageSelect().selectOption('auto')
    await expect(page.getByRole('button', { name: exactName('训练') })).toBeVisible()
  })
})

test('the Language switch turns an English lab Chinese, and it stays so after a reload', async ({ labPage: lab }) => {
  const page = lab.page
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(lab.languageSelect()).toHaveValue('auto')
  await lab.configure({ steps: 20 })
  await lab.languageSelect().selectOption('zh-CN')

  await expect(page.getByRole('button', { name: exactName('训练') })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(lab.status()).toHaveText('第 0/20 步 · 损失 —')
  // Switching language keeps what the student typed.
  await expect(page.getByRole('spinbutton', { name: exactName('步数') })).toHaveValue('20')
  expect(await page.evaluate(() => localStorage.getItem('optim-lab.preferences'))).toContain('"language":"zh-CN"')

  await page.reload()
  await expect(page.getByRole('button', { name: exactName('训练') })).toBeVisible()
  await expect(lab.languageSelect('语言')).toHaveValue('zh-CN')
  await expect(lab.trainButton()).toHaveCount(0)
})
