/**
 * The web-mode test fixture: every test gets a fresh page of the built renderer and fails if the
 * page logs a console error, throws, or violates its Content-Security-Policy.
 */
import { test as base, expect } from '@playwright/test'
import { LabPage } from './pages/lab-page'

interface Fixtures {
  /** Console errors a test expects (e.g. a deliberately crashed engine); everything else fails it. */
  allowedConsoleErrors: RegExp[]
  consoleErrors: string[]
  labPage: LabPage
}

export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],

  consoleErrors: async ({ page, allowedConsoleErrors }, use) => {
    const errors: string[] = []
    const record = (text: string): void => {
      if (!allowedConsoleErrors.some((pattern) => pattern.test(text))) errors.push(text)
    }
    page.on('console', (message) => {
      if (message.type() === 'error') record(`console.error: ${message.text()}`)
    })
    page.on('pageerror', (error) => record(`page error: ${error.message}`))
    page.on('worker', (worker) => worker.on('console', (m) => m.type() === 'error' && record(`worker: ${m.text()}`)))
    // CSP violations also reach the console, but only this event names the directive.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`)
      })
    })
    await use(errors)
    expect(errors, 'console errors, page errors and CSP violations').toEqual([])
  },

  labPage: async ({ page, consoleErrors }, use) => {
    void consoleErrors
    const lab = new LabPage(page)
    await lab.open()
    await use(lab)
  }
})

export { expect }
