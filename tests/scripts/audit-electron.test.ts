/**
 * The electronegativity gate: HIGH never passes, MEDIUM only when reviewed with a reason, an
 * unreadable report never reads as clean; and the scanner really flags an insecure window here.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ESM script without types
import { judge, readFindings, runElectronegativity } from '../../scripts/audit-electron.mjs'

const root = join(import.meta.dirname, '..', '..')
const header = 'issue, severity, confidence, filename, location, sample, description, url\n'
const row = (issue: string, severity: string, file: string) => `${issue},"${severity}","FIRM","${file}","1:1","x, ""y""","d",https://example.invalid\n`
const reviewed = [{ target: 'sources', issue: 'PRELOAD_JS_CHECK', file: 'src-main/main/*.ts', reason: 'r' }]

describe('audit:electron gate', () => {
  it('reads the CSV, quoted commas included', () => {
    const findings = readFindings(header + row('PRELOAD_JS_CHECK', 'MEDIUM', 'src-main/main/index.ts'))
    expect(findings).toEqual([{ issue: 'PRELOAD_JS_CHECK', severity: 'MEDIUM', confidence: 'FIRM', file: 'src-main/main/index.ts', location: '1:1', sample: 'x, "y"' }])
  })

  it('refuses to read a report with a row that is not a finding', () => {
    expect(() => readFindings(header + 'PRELOAD_JS_CHECK,MEDIUM,oops\n')).toThrow(/does not read as a finding/)
    expect(() => readFindings('nothing here\n')).toThrow(/no header row/)
  })

  it('fails HIGH even when reviewed, and MEDIUM unless reviewed', () => {
    const findings = readFindings(
      header +
        row('PRELOAD_JS_CHECK', 'MEDIUM', 'src-main/main/index.ts') +
        row('PRELOAD_JS_CHECK', 'HIGH', 'src-main/main/index.ts') +
        row('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'src-main/main/index.ts') +
        row('CSP_GLOBAL_CHECK', 'LOW', 'src-renderer/index.html')
    )
    const { failures, accepted, listed } = judge(findings, reviewed, 'sources')
    expect(failures.map((f: { issue: string; severity: string }) => `${f.severity} ${f.issue}`)).toEqual(['HIGH PRELOAD_JS_CHECK', 'MEDIUM OPEN_EXTERNAL_JS_CHECK'])
    expect(accepted).toHaveLength(1)
    expect(listed).toHaveLength(1)
    // A review is for one target: the same finding in the build is not covered by it.
    expect(judge(findings.slice(0, 1), reviewed, 'build').failures).toHaveLength(1)
  })

  it('every reviewed entry has a target, an issue, a file and a reason', () => {
    const file = JSON.parse(readFileSync(join(root, 'security/electronegativity-reviewed.json'), 'utf8'))
    for (const entry of file.reviewed) {
      expect(['sources', 'build']).toContain(entry.target)
      expect(entry.issue).toMatch(/^[A-Z_]+$/)
      expect(entry.file).toMatch(/\S/)
      expect(entry.reason.length).toBeGreaterThan(40)
    }
  })

  it("keeps electronegativity's header and findings writes in order, so the report is whole", () => {
    // Its CSV writer starts both writes at once; the header, landing second, used to overwrite findings.
    const dir = mkdtempSync(join(tmpdir(), 'ordered-'))
    const script = `
      const fs = require('node:fs')
      const path = require('node:path')
      let left = 40
      for (let i = 0; i < 40; i++) {
        const file = path.join(${JSON.stringify(dir)}, i + '.csv')
        fs.writeFile(file, 'issue, severity\\n', (e) => { if (e) throw e })
        fs.writeFile(file, 'A,"HIGH"\\n'.repeat(500), { flag: 'a' }, (e) => { if (e) throw e; if (--left === 0) console.log('done') })
      }`
    const result = spawnSync(process.execPath, ['-r', join(root, 'scripts/electronegativity-ordered-writes.cjs'), '-e', script], { encoding: 'utf8' })
    expect(result.stdout.trim()).toBe('done')
    for (let i = 0; i < 40; i++) {
      expect(readFileSync(join(dir, `${i}.csv`), 'utf8')).toBe('issue, severity\n' + 'A,"HIGH"\n'.repeat(500))
    }
  })

  it('electronegativity flags an insecure window as HIGH here (offline), so the gate can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'insecure-'))
    mkdirSync(join(dir, 'app'))
    writeFileSync(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'insecure', main: 'main.js', devDependencies: { electron: '45.5.0' } }))
    writeFileSync(
      join(dir, 'app', 'main.js'),
      "const { BrowserWindow } = require('electron')\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } })\n"
    )
    const report = join(dir, 'report.csv')
    runElectronegativity(join(dir, 'app'), report, '45.5.0')
    const findings = readFindings(readFileSync(report, 'utf8'))
    const { failures } = judge(findings, [], 'sources')
    expect(failures.some((f: { severity: string }) => f.severity === 'HIGH')).toBe(true)
    expect(findings.map((f: { issue: string }) => f.issue)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']))
  }, 120_000)
})
