#!/usr/bin/env node
// `npm run audit:electron`: Doyensec's electronegativity over the sources (src-main, src-renderer)
// and the build (out/), offline. electronegativity exits 0 whatever it finds, so this script reads
// its CSV and fails on any HIGH finding, or on a MEDIUM one not recorded, with the reason it is
// acceptable, in security/electronegativity-reviewed.json. LOW and INFORMATIONAL are listed only.
// Its "could not retrieve translations" / "no connectivity?" warnings are expected here.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const ELECTRON_VERSION = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const reviewedFile = join(root, 'security', 'electronegativity-reviewed.json')

/** What is scanned: each target is copied into a folder of its own, so paths read the same everywhere. */
export const TARGETS = {
  sources: ['src-main', 'src-renderer/index.html', 'src-renderer/src', 'package.json'],
  build: ['out', 'package.json']
}

/** RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') row.push(field), (field = '')
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field), rows.push(row), (row = []), (field = '')
    } else field += c
  }
  if (field !== '' || row.length) row.push(field), rows.push(row)
  return rows.filter((r) => r.some((f) => f.trim() !== ''))
}

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']

/**
 * Findings of one CSV report: {issue, severity, confidence, file, location, sample}. A report that
 * does not read as one (a row of another width, an unknown severity) throws: an unreadable report
 * must never pass as a clean one.
 */
export function readFindings(csv) {
  const [header, ...rows] = parseCsv(csv)
  const col = (name) => (header ?? []).findIndex((h) => h.trim() === name)
  const at = { issue: col('issue'), severity: col('severity'), confidence: col('confidence'), file: col('filename'), location: col('location'), sample: col('sample') }
  if (Object.values(at).some((i) => i < 0)) throw new Error(`the report has no header row: ${JSON.stringify(header)}`)
  return rows.map((r) => {
    const finding = Object.fromEntries(Object.entries(at).map(([k, i]) => [k, (r[i] ?? '').trim()]))
    if (r.length !== header.length || !/^[A-Z0-9_]+$/.test(finding.issue) || !SEVERITIES.includes(finding.severity)) {
      throw new Error(`the report has a row that does not read as a finding: ${JSON.stringify(r).slice(0, 300)}`)
    }
    return finding
  })
}

/** `*` matches any run of characters within a path segment. */
function matches(pattern, file) {
  const regex = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$')
  return regex.test(file)
}

/** Splits findings into failures (HIGH; unreviewed MEDIUM), reviewed ones, and the rest. */
export function judge(findings, reviewed, target) {
  const failures = []
  const accepted = []
  const listed = []
  for (const finding of findings) {
    const review = reviewed.find((r) => r.target === target && r.issue === finding.issue && matches(r.file, finding.file))
    if (finding.severity === 'HIGH' || finding.severity === 'CRITICAL') failures.push({ ...finding, why: `${finding.severity} findings are never accepted` })
    else if (finding.severity === 'MEDIUM' && !review) failures.push({ ...finding, why: 'MEDIUM and not reviewed in security/electronegativity-reviewed.json' })
    else if (review) accepted.push({ ...finding, reason: review.reason })
    else listed.push(finding)
  }
  return { failures, accepted, listed }
}

/**
 * Runs electronegativity on `input`, writing its CSV report to `report`; returns spawnSync's result.
 * Through node with a preload that keeps its two report writes in order (see the preload for why).
 */
export function runElectronegativity(input, report, electronVersion = ELECTRON_VERSION) {
  const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js')
  const orderedWrites = join(root, 'scripts', 'electronegativity-ordered-writes.cjs')
  return spawnSync(process.execPath, ['-r', orderedWrites, cli, '-i', input, '-e', electronVersion, '-r', '-v', 'false', '-o', report], {
    encoding: 'utf8',
    timeout: 300_000,
    // Offline: fail fast instead of waiting on the release list and translations.
    env: { ...process.env, HTTPS_PROXY: process.env.HTTPS_PROXY ?? '', NO_UPDATE_NOTIFIER: '1' }
  })
}

/** Scans `paths`, copied into a folder of their own. An unreadable report throws, never reads as clean. */
export function scan(target, paths, work) {
  const input = join(work, target)
  for (const path of paths) cpSync(join(root, path), join(input, path), { recursive: true })
  const report = join(work, `${target}.csv`)
  const result = runElectronegativity(input, report)
  if (result.error || result.status !== 0 || !existsSync(report)) {
    throw new Error(`electronegativity did not produce a report for the ${target} (status ${result.status}${result.error ? `, ${result.error.message}` : ''}):\n${result.stdout}\n${result.stderr}`)
  }
  try {
    return readFindings(readFileSync(report, 'utf8'))
  } catch (error) {
    throw new Error(`electronegativity's report for the ${target} could not be read: ${error.message}`)
  }
}

function main() {
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
    console.error('audit:electron: out/ is missing; run `npm run build` first (npm test builds before auditing).')
    process.exit(1)
  }
  const reviewed = JSON.parse(readFileSync(reviewedFile, 'utf8')).reviewed
  const work = mkdtempSync(join(tmpdir(), 'optim-lab-audit-'))
  if (process.env.AUDIT_KEEP) console.log(`work folder: ${work}`)
  let failed = 0
  const used = new Set()
  try {
    for (const [target, paths] of Object.entries(TARGETS)) {
      let findings
      try {
        findings = scan(target, paths, work)
      } catch (error) {
        console.log(`\naudit:electron: ${error.message}`)
        failed++
        continue
      }
      const { failures, accepted, listed } = judge(findings, reviewed, target)
      for (const f of accepted) used.add(reviewed.find((r) => r.target === target && r.issue === f.issue && matches(r.file, f.file)))
      console.log(`\nelectronegativity (Electron ${ELECTRON_VERSION}) on the ${target}: ${findings.length} findings`)
      for (const f of failures) console.log(`  FAIL     ${f.severity.padEnd(13)} ${f.issue} ${f.file} ${f.location}: ${f.why}`)
      for (const f of accepted) console.log(`  reviewed ${f.severity.padEnd(13)} ${f.issue} ${f.file} ${f.location}: ${f.reason}`)
      for (const f of listed) console.log(`  note     ${f.severity.padEnd(13)} ${f.issue} ${f.file} ${f.location}`)
      failed += failures.length
    }
  } finally {
    if (!process.env.AUDIT_KEEP) rmSync(work, { recursive: true, force: true })
  }
  for (const entry of reviewed) if (!used.has(entry)) console.log(`  (reviewed entry no longer found: ${entry.target} ${entry.issue} ${entry.file})`)
  if (failed) {
    console.log(`\naudit:electron: ${failed} finding(s) need attention: fix them, or review a MEDIUM one in security/electronegativity-reviewed.json with the reason.`)
    process.exit(1)
  }
  console.log('\naudit:electron: no HIGH finding and no unreviewed MEDIUM one.')
}

if (import.meta.url === `file://${process.argv[1]}`) main()
