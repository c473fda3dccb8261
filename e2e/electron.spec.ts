/**
 * The real desktop app under Playwright's `_electron`: window security, the app:// bundle, training
 * through the utility process, and recovery after the engine process dies. Needs an Electron binary
 * (found without triggering Electron's download, see scripts/electron-binary.mjs) and `npm run build`.
 * Where there is none, every test here is skipped with the reason.
 */
import { join } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { findElectronBinary } from '../scripts/electron-binary.mjs'
import { LabPage } from './pages/lab-page'

const projectRoot = join(import.meta.dirname, '..')
const binary = findElectronBinary()

test.describe('desktop app (Electron)', () => {
  test.describe.configure({ mode: 'serial' })
  test.skip(
    !binary.found,
    `No Electron binary on this machine (${binary.found ? '' : binary.reason}); it cannot be downloaded here. ` +
      'Supply one with ELECTRON_OVERRIDE_DIST_PATH=/path/to/unpacked/electron to run this suite.'
  )

  let app: ElectronApplication
  let page: Page

  test.beforeAll(async () => {
    if (!binary.found) return
    app = await electron.launch({ executablePath: binary.path, args: ['.'], cwd: projectRoot })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  })

  test.afterAll(async () => {
    await app?.close()
  })

  test('loads the bundle from app://bundle/ with a strict, isolated renderer', async () => {
    expect(page.url()).toBe('app://bundle/index.html')
    await expect(page).toHaveTitle('Optim Lab')
    const exposed = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: Object.keys((window as unknown as { optimLab: object }).optimLab).sort(),
      isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated
    }))
    expect(exposed).toEqual({
      require: 'undefined',
      process: 'undefined',
      api: ['connectEngine', 'loadSettings', 'onEngineLifecycle', 'openWeights', 'platform', 'saveSettings', 'saveWeights'],
      isolated: true
    })
    // The webPreferences themselves are asserted against the mocked BrowserWindow in tests/main.
  })

  test('refuses to navigate away or open windows', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/'
    })
    await page.waitForTimeout(300)
    expect(page.url()).toBe('app://bundle/index.html')
    const opened = await page.evaluate(() => window.open('https://example.com/') === null)
    expect(opened).toBe(true)
    expect(app.windows()).toHaveLength(1)
  })

  test('trains through the engine utility process', async () => {
    const lab = new LabPage(page)
    await lab.configure({ seed: 0, optimizer: 'Adam', lr: '1e-4', steps: 30 })
    await lab.train()
    await expect(lab.status()).toHaveText(/^step 30\/30 · loss \d/, { timeout: 30_000 })
    const utility = await app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().filter((metric) => metric.type === 'Utility' && metric.name === 'Optim Lab engine').length
    )
    expect(utility).toBe(1)
  })

  test('survives the engine process dying: it restarts and training works again', async () => {
    const killed = await app.evaluate(({ app: electronApp }) => {
      const engine = electronApp.getAppMetrics().find((metric) => metric.type === 'Utility' && metric.name === 'Optim Lab engine')
      if (!engine) return false
      process.kill(engine.pid, 'SIGKILL')
      return true
    })
    expect(killed).toBe(true)
    const lab = new LabPage(page)
    await expect
      .poll(
        () =>
          app.evaluate(({ app: electronApp }) =>
            electronApp.getAppMetrics().some((metric) => metric.type === 'Utility' && metric.name === 'Optim Lab engine')
          ),
        { timeout: 15_000 }
      )
      .toBe(true)
    await lab.configure({ steps: 10 })
    await lab.train()
    await expect(lab.status()).toHaveText(/^step 10\/10 · loss \d/, { timeout: 30_000 })
  })
})
