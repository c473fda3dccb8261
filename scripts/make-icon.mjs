#!/usr/bin/env node
// Draws the app icon: resources/icon.svg (the source) rendered to resources/icon.png (1024 × 1024,
// transparent corners) in Debian's Chromium through Playwright, so no image tool is needed.
// electron-builder derives the .ico and .icns from the PNG. Run: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from '@playwright/test'

const SIZE = 1024
// A loss curve falling step by step (the optimizer's updates) on the app's accent blue; the steps
// are Okabe–Ito orange, as the second run of the chart.
const steps = Array.from({ length: 9 }, (_, k) => {
  const x = 250 + k * 68
  const y = 300 + 430 * (1 - Math.exp(-k / 2.6))
  return [x, Math.round(y)]
})
const curve = steps.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${x} ${y}`).join(' ')
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <rect x="64" y="64" width="896" height="896" rx="200" fill="#0b63b6"/>
  <path d="M200 210 V800 H840" fill="none" stroke="#cfe3f7" stroke-width="28" stroke-linecap="round" stroke-linejoin="round"/>
  <path d="${curve}" fill="none" stroke="#ffffff" stroke-width="40" stroke-linecap="round" stroke-linejoin="round"/>
  ${steps.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="30" fill="#E69F00" stroke="#ffffff" stroke-width="12"/>`).join('\n  ')}
</svg>
`

const resources = join(import.meta.dirname, '..', 'resources')
writeFileSync(join(resources, 'icon.svg'), svg)
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } })
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`)
  await page.locator('svg').screenshot({ path: join(resources, 'icon.png'), omitBackground: true })
} finally {
  await browser.close()
}
console.log(`wrote resources/icon.svg and resources/icon.png (${SIZE} × ${SIZE})`)
