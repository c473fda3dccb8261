import { defineConfig, devices } from '@playwright/test'

/**
 * Browser-mode e2e: the BUILT renderer (out/renderer) served over http by scripts/serve-web.mjs, in
 * Debian's Chromium, with the renderer's Web Worker running the engine host. Run `npm run build`
 * first. e2e/electron.spec.ts launches the real app where an Electron binary exists, else skips.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const port = Number(process.env.E2E_PORT ?? 4173)
const ci = Boolean(process.env.CI)

export default defineConfig({
  testDir: './e2e',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: ci,
  reporter: ci ? [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]] : [['list']],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    screenshot: 'only-on-failure'
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: chromium,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync'
          ]
        }
      }
    }
  ],
  webServer: {
    command: 'node scripts/serve-web.mjs',
    // E2E_OUT: a build made with `electron-vite build --outDir <dir>` instead of out/.
    env: { PORT: String(port), HOST: '127.0.0.1', OUT_DIR: process.env.E2E_OUT ?? 'out' },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !ci,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe'
  }
})
