// Screenshots of the optimizer-state microscope for docs/screenshots: the lesson stepped 20 times
// (paused), exp_avg_sq of 0.weight as a heatmap, and one weight stepped through Adam's algorithm box
// (English), then the same as a histogram in zh-CN.
// Serve the built app first (npm run web, or LAB_URL=... for another address), then:
// node scripts/microscope-screenshots.mjs
import { chromium } from '@playwright/test'
const base = process.env.LAB_URL ?? 'http://127.0.0.1:5173/'
const out = new URL('../docs/screenshots/', import.meta.url).pathname
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const exact = (s) => new RegExp(`^${s}$`)
async function microscope(locale, names, mode, file) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale })
  const p = await ctx.newPage()
  await p.goto(base)
  await p.getByRole('spinbutton', { name: exact(names.steps) }).fill('40')
  // Step from idle starts a paused run; each press is one update.
  for (let i = 0; i < 20; i++) {
    await p.getByRole('button', { name: exact(names.step) }).click()
    await p.getByRole('status').filter({ hasText: new RegExp(`\\b${i + 1}/40\\b`) }).waitFor()
  }
  const region = p.getByRole('region', { name: exact(names.heading) })
  await p.getByRole('button', { name: exact(names.heading) }).click()
  await region.getByRole('combobox', { name: exact(names.view) }).selectOption('exp_avg_sq')
  await region.getByRole('radio', { name: exact(mode) }).check()
  await region.getByRole('spinbutton', { name: exact(names.row) }).fill('12')
  await region.getByRole('spinbutton', { name: exact(names.row) }).press('Tab')
  await region.getByRole('spinbutton', { name: exact(names.col) }).fill('345')
  await region.getByRole('spinbutton', { name: exact(names.col) }).press('Tab')
  await region.getByRole('button', { name: exact(names.through) }).click()
  await region.getByRole('table').waitFor()
  await p.waitForTimeout(500)
  await region.screenshot({ path: out + file })
  await ctx.close()
}
await microscope('en-US', { steps: 'Steps', step: 'Step', heading: 'Optimizer-state microscope', view: 'Inspected view', row: 'Weight row', col: 'Weight column', through: 'Step through update' }, 'Heatmap', 'microscope.png')
await microscope('zh-CN', { steps: '步数', step: '单步', heading: '优化器状态显微镜', view: '查看的内容', row: '权重行', col: '权重列', through: '逐行查看更新' }, '直方图', 'zh-CN-microscope.png')
await browser.close()
