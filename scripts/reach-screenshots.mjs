// Screenshots of the reach features for docs/screenshots: zh-CN (main, shortcuts dialog), English in dark
// mode with two runs smoothed on a log scale, and a moons run with its decision boundary.
// Serve the built app first (npm run web, or LAB_URL=... for another address), then:
// node scripts/reach-screenshots.mjs
import { chromium } from '@playwright/test'
const base = process.env.LAB_URL ?? 'http://127.0.0.1:5173/'
const out = new URL('../docs/screenshots/', import.meta.url).pathname
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const exact = (s) => new RegExp(`^${s}$`)
async function page(opts) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...opts })
  const p = await ctx.newPage()
  await p.goto(base)
  return p
}
// 1. zh-CN, after 120 lesson steps, log scale
{
  const p = await page({ locale: 'zh-CN' })
  await p.getByRole('spinbutton', { name: exact('步数') }).fill('120')
  await p.getByRole('button', { name: exact('训练') }).click()
  await p.getByRole('status').filter({ hasText: /第 120\/120 步/ }).waitFor({ timeout: 60000 })
  await p.getByRole('checkbox', { name: exact('对数坐标') }).check()
  await p.waitForTimeout(500)
  await p.screenshot({ path: out + 'zh-CN-main.png' })
  await p.keyboard.press('?')
  await p.waitForTimeout(300)
  await p.screenshot({ path: out + 'zh-CN-shortcuts.png' })
  await p.context().close()
}
// 2. en, dark, two runs, smoothing
{
  const p = await page({ locale: 'en-US', colorScheme: 'dark' })
  await p.getByRole('spinbutton', { name: exact('Steps') }).fill('150')
  await p.getByRole('button', { name: exact('Train') }).click()
  await p.getByRole('status').filter({ hasText: /step 150\/150/ }).waitFor({ timeout: 60000 })
  await p.getByRole('combobox', { name: exact('Optimizer') }).selectOption('RMSprop')
  await p.getByRole('button', { name: exact('Train') }).click()
  await p.getByRole('status').filter({ hasText: /step 150\/150/ }).waitFor({ timeout: 60000 })
  await p.getByRole('checkbox', { name: exact('Log scale') }).check()
  await p.getByRole('slider', { name: exact('Smoothing') }).fill('0.8')
  await p.waitForTimeout(600)
  await p.mouse.move(0, 0)
  await p.screenshot({ path: out + 'en-dark.png' })
  await p.context().close()
}
// 3. moons with decision boundary (zh-CN, light)
{
  const p = await page({ locale: 'en-US' })
  await p.getByRole('combobox', { name: exact('Dataset') }).selectOption('moons')
  await p.getByRole('button', { name: exact('Train') }).click()
  await p.getByRole('status').filter({ hasText: /step 300\/300/ }).waitFor({ timeout: 60000 })
  await p.getByRole('button', { name: exact('Save run') }).click()
  await p.waitForTimeout(800)
  await p.getByRole('heading', { name: 'Decision boundary' }).scrollIntoViewIfNeeded()
  await p.waitForTimeout(300)
  await p.screenshot({ path: out + 'moons-boundary.png' })
  await p.context().close()
}
await browser.close()
console.log('done')
