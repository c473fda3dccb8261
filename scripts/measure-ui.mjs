#!/usr/bin/env node
// Web-mode responsiveness, measured (never asserted): builds the app into OUT_DIR (default
// out-perf), serves it with scripts/serve-web.mjs, drives Debian's Chromium with Playwright and
// reports, for training RUNS times:
//   - first loss: from the Train click (the click event's timeStamp, in the page) to the moment the
//     status line first shows a loss (a MutationObserver in the page, performance.now());
//   - frames while training 5 000 steps: requestAnimationFrame deltas (median / p95 / max) and the
//     main thread's long tasks (PerformanceObserver 'longtask', > 50 ms);
//   - the run's wall time, Train click to `step 5000/5000`;
//   - the main thread's tasks while training (a Chrome trace of the `toplevel` category only, over
//     the DevTools protocol; --no-trace leaves it out): how many took over 16.7 ms, their p95 and
//     longest, and the share of the time the main thread was busy. rAF deltas cannot show a frame
//     "under 16 ms": at 60 Hz they are 16.7 ms at best, so a task over one frame's budget is the
//     honest sign of a frame the page itself made late. Also each task's own CPU time (the trace's
//     thread time): with the engine's worker on one of two cores, a task's wall time is often twice
//     its CPU time, and the difference is the machine, not the page.
// `npm run bench -- --ui` runs it after the engine benchmark; alone:
//
//   node scripts/measure-ui.mjs [--steps 5000] [--runs 3] [--settle 1000] [--no-build] [--no-trace]
//                               [--profile trace.json] [--json]
//
// --profile FILE: the first run's trace also records DevTools' timeline and the JavaScript CPU
// profiles of every thread (the page and the engine's worker), saved to FILE for Chrome DevTools'
// Performance panel (Load profile). It slows the page: its figures are for finding where time
// goes, not for comparing with other runs.
//
// --settle ms: time between the page being ready and the click on Train (a student reads first;
// the engine warms up meanwhile, src-main/host/warm-up.ts); 0 measures a click as soon as possible.
//
// Environment: PORT (default 4185), OUT_DIR (default out-perf), CHROMIUM_PATH (/usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export async function measureUi({ steps = 5000, runs = 3, build = true, json = false, settleMs = 1000, trace = true, profile = null, log = (t) => process.stderr.write(t + '\n') } = {}) {
  const outDir = process.env.OUT_DIR ?? 'out-perf'
  const port = Number(process.env.PORT ?? 4185)
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (build || !existsSync(join(root, outDir, 'renderer', 'index.html'))) {
    log(`measure-ui: building into ${outDir} ...`)
    const built = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', join(root, outDir)], {
      cwd: root,
      encoding: 'utf8'
    })
    if (built.status !== 0) throw new Error(`electron-vite build failed:\n${(built.stderr || built.stdout).slice(-2000)}`)
  }
  const server = spawn(process.execPath, [join(root, 'scripts', 'serve-web.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', OUT_DIR: outDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const url = `http://127.0.0.1:${port}/`
  let browser
  try {
    await waitForServer(url)
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'] })
  } catch (error) {
    server.kill()
    throw error
  }
  const version = browser.version()
  const results = []
  try {
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      // Where the first-loss time goes: when the page posts startRun to the engine's worker, and
      // when the worker's first progress event arrives (before the page's own handlers run).
      await page.addInitScript(() => {
        const marks = { startRunSentAt: null, firstProgressAt: null }
        window.__workerMarks = marks
        const NativeWorker = window.Worker
        window.Worker = class extends NativeWorker {
          constructor(...args) {
            super(...args)
            this.addEventListener('message', (e) => {
              if (marks.firstProgressAt === null && e.data?.type === 'progress') marks.firstProgressAt = performance.now()
            })
          }
          postMessage(message, ...rest) {
            if (marks.startRunSentAt === null && message?.type === 'startRun') marks.startRunSentAt = performance.now()
            return super.postMessage(message, ...rest)
          }
        }
      })
      await page.goto(url)
      const train = page.getByRole('button', { name: /^train$/i })
      await train.waitFor()
      await page.getByRole('spinbutton', { name: /^steps$/i }).fill(String(steps))
      // A student reads the page before pressing Train; the engine uses that time to warm up.
      await page.waitForTimeout(settleMs)
      // A fresh page per run: the first run pays for the worker's first WebAssembly compile too.
      await page.evaluate(() => {
        const status = document.querySelector('[role="status"]')
        const m = { clickAt: null, firstLossAt: null, doneAt: null, frames: [], longTasks: [] }
        window.__measure = m
        document.addEventListener('click', (e) => {
          if (m.clickAt === null && e.target instanceof Element && e.target.closest('button')?.textContent?.trim().toLowerCase() === 'train') {
            m.clickAt = e.timeStamp
            performance.mark('measure-click')
          }
        }, true)
        new MutationObserver(() => {
          const text = status.textContent ?? ''
          const match = /^step (\d+)\/(\d+) · loss (\S+)$/.exec(text.trim())
          if (!match || m.clickAt === null) return
          const now = performance.now()
          if (m.firstLossAt === null && match[3] !== '—') m.firstLossAt = now
          if (m.doneAt === null && match[1] === match[2] && Number(match[1]) > 0) {
            m.doneAt = now
            performance.mark('measure-done')
          }
        }).observe(status, { childList: true, characterData: true, subtree: true })
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) m.longTasks.push({ start: entry.startTime, duration: entry.duration })
        }).observe({ type: 'longtask', buffered: false })
        let last = performance.now()
        const frame = (now) => {
          if (m.clickAt !== null && m.doneAt === null) m.frames.push(now - last)
          last = now
          if (m.doneAt === null) requestAnimationFrame(frame)
        }
        requestAnimationFrame(frame)
      })
      // waitForFunction injects Playwright's own script into the page's world the first time
      // (≈ 80 ms of parsing on the main thread, profiled): done here, not inside the measured span.
      await page.waitForFunction(() => true)
      const saveTo = run === 0 ? profile : null
      const tracing = trace || saveTo ? await startTrace(browser, saveTo) : null
      await train.click()
      await page.waitForFunction(() => window.__measure.doneAt !== null, null, { timeout: 10 * 60_000, polling: 250 })
      const m = await page.evaluate(() => ({ ...window.__measure, ...window.__workerMarks }))
      const tasks = tracing ? await tracing.mainTasks() : null
      const during = m.longTasks.filter((t) => t.start >= m.clickAt && t.start <= m.doneAt)
      results.push({
        first_loss_ms: m.firstLossAt - m.clickAt,
        click_to_start_run_ms: m.startRunSentAt - m.clickAt,
        start_run_to_first_progress_ms: m.firstProgressAt - m.startRunSentAt,
        first_progress_to_status_ms: m.firstLossAt - m.firstProgressAt,
        train_wall_ms: m.doneAt - m.clickAt,
        frames: m.frames.length,
        frame_median_ms: quantile(m.frames, 0.5),
        frame_p95_ms: quantile(m.frames, 0.95),
        frame_max_ms: Math.max(...m.frames),
        frames_over_16_7_ms: m.frames.filter((d) => d > 1000 / 60 + 0.5).length,
        long_tasks: during.length,
        long_task_max_ms: during.length ? Math.max(...during.map((t) => t.duration)) : 0,
        ...(tasks && {
          main_tasks: tasks.count,
          main_tasks_over_16_7_ms: tasks.over16,
          main_task_p95_ms: tasks.p95,
          main_task_max_ms: tasks.max,
          main_busy_share: tasks.busyShare,
          main_tasks_cpu_over_16_7_ms: tasks.cpuOver16,
          main_task_cpu_p95_ms: tasks.cpuP95,
          main_cpu_ms: tasks.cpuMs,
          main_slow_tasks_by_kind: tasks.slow
        })
      })
      log(`  run ${run + 1}: first loss ${results.at(-1).first_loss_ms.toFixed(0)} ms, ${steps} steps in ${results.at(-1).train_wall_ms.toFixed(0)} ms, frames p95 ${results.at(-1).frame_p95_ms.toFixed(1)} ms`)
      await page.close()
    }
  } finally {
    await browser.close()
    server.kill()
  }
  const med = (key) => quantile(results.map((r) => r[key]), 0.5)
  const report = {
    what: `web mode (${outDir}), Chromium ${version}, ${steps} steps of the lesson per run, ${runs} runs, Train clicked ${settleMs} ms after the page is ready`,
    load_average_at_end: loadavg().map((v) => Math.round(v * 100) / 100),
    runs: results,
    median: Object.fromEntries(Object.keys(results[0]).map((key) => [key, med(key)]))
  }
  if (!json) {
    const r = report.median
    log(
      [
        `\nweb mode, Train → first loss point: median ${r.first_loss_ms.toFixed(0)} ms (runs: ${results.map((x) => x.first_loss_ms.toFixed(0)).join(', ')})`,
        `  of which: click → startRun posted ${r.click_to_start_run_ms.toFixed(0)} ms, → first progress event in the page ${r.start_run_to_first_progress_ms.toFixed(0)} ms, → status line shows it ${r.first_progress_to_status_ms.toFixed(0)} ms`,
        `frames while training ${steps} steps: median ${r.frame_median_ms.toFixed(1)} ms, p95 ${r.frame_p95_ms.toFixed(1)} ms, max ${r.frame_max_ms.toFixed(1)} ms (medians over runs); frames over 16.7 ms: ${results.map((x) => `${x.frames_over_16_7_ms}/${x.frames}`).join(', ')}`,
        `long tasks (> 50 ms) on the main thread: ${results.map((x) => `${x.long_tasks} (max ${x.long_task_max_ms.toFixed(0)} ms)`).join(', ')}`,
        ...(r.main_tasks === undefined
          ? []
          : [
              `main-thread tasks while training (trace): over 16.7 ms ${results.map((x) => `${x.main_tasks_over_16_7_ms}/${x.main_tasks}`).join(', ')}; p95 ${r.main_task_p95_ms.toFixed(1)} ms, longest ${results.map((x) => x.main_task_max_ms.toFixed(0)).join(', ')} ms; busy ${results.map((x) => `${Math.round(100 * x.main_busy_share)} %`).join(', ')}`,
              `  the main thread's own CPU time (the rest of a task's wall time went to other threads and processes): tasks over 16.7 ms of CPU ${results.map((x) => x.main_tasks_cpu_over_16_7_ms).join(', ')}; p95 ${r.main_task_cpu_p95_ms.toFixed(1)} ms; ${results.map((x) => (x.main_cpu_ms / 1000).toFixed(1)).join(', ')} s in all`,
              `  the ones over 16.7 ms were (frames / timers / worker messages / other): ${results.map((x) => { const k = x.main_slow_tasks_by_kind; return `${k.frame}/${k.timer}/${k.message}/${k.other}` }).join(', ')}`
            ]),
        `training wall time: median ${r.train_wall_ms.toFixed(0)} ms; load average ${report.load_average_at_end.join(' ')}`
      ].join('\n')
    )
  }
  return report
}

/**
 * Records the `toplevel` trace category (each task a thread runs) plus the page's user-timing
 * marks, from now until `mainTasks()`, which returns the tasks of the page's main thread between
 * the Train click and the last step (the `measure-click` / `measure-done` marks).
 */
async function startTrace(browser, saveTo = null) {
  const cdp = await browser.newBrowserCDPSession()
  const detail = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'v8.execute', 'disabled-by-default-v8.cpu_profiler']
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: ['toplevel', 'blink.user_timing', ...(saveTo ? detail : [])] }
  })
  return {
    async mainTasks() {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
      await cdp.send('Tracing.end')
      const { stream } = await complete
      const chunks = []
      for (;;) {
        const part = await cdp.send('IO.read', { handle: stream, size: 1 << 22 })
        chunks.push(part.base64Encoded ? Buffer.from(part.data, 'base64').toString() : part.data)
        if (part.eof) break
      }
      await cdp.send('IO.close', { handle: stream })
      await cdp.detach()
      const text = chunks.join('')
      if (saveTo) writeFileSync(saveTo, text)
      const events = JSON.parse(text).traceEvents ?? JSON.parse(text)
      const click = events.find((e) => e.name === 'measure-click')
      const done = events.find((e) => e.name === 'measure-done')
      if (!click || !done) return null
      // The marks come from the page's main thread; nested tasks count once (the outermost).
      const own = events
        .filter((e) => e.ph === 'X' && e.pid === click.pid && e.tid === click.tid && e.dur > 0 && e.ts + e.dur >= click.ts && e.ts <= done.ts)
        .sort((a, b) => a.ts - b.ts || b.dur - a.dur)
      const tasks = []
      /** Each task's own CPU time (`tdur`, the thread's time): the wall time less what the OS gave to other threads. */
      const cpu = []
      /** What each task over 16.7 ms was, from where Chromium says it was posted (`src_func`). */
      const slow = { frame: 0, timer: 0, message: 0, other: 0 }
      let end = -Infinity
      let current = null
      const kindOf = (func) =>
        func === 'ScheduledActionSendBeginMainFrame' ? 'frame' : func === 'DOMTimer' ? 'timer' : /PostMessage/.test(func) ? 'message' : null
      for (const e of own) {
        if (e.ts >= end) {
          tasks.push(e.dur / 1000)
          cpu.push((e.tdur ?? e.dur) / 1000)
          end = e.ts + e.dur
          current = e.dur / 1000 > 1000 / 60 ? { kind: null } : null
          if (current) slow.other++
        }
        const kind = current && current.kind === null && e.args?.src_func ? kindOf(e.args.src_func) : null
        if (kind) {
          current.kind = kind
          slow.other--
          slow[kind]++
        }
      }
      const busy = tasks.reduce((sum, d) => sum + d, 0)
      return {
        count: tasks.length,
        over16: tasks.filter((d) => d > 1000 / 60).length,
        p95: quantile(tasks, 0.95),
        max: tasks.length ? Math.max(...tasks) : 0,
        busyShare: busy / ((done.ts - click.ts) / 1000),
        cpuOver16: cpu.filter((d) => d > 1000 / 60).length,
        cpuP95: quantile(cpu, 0.95),
        cpuMs: cpu.reduce((sum, d) => sum + d, 0),
        slow
      }
    }
  }
}

function quantile(values, q) {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`serve-web did not answer at ${url}`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2)
  const value = (name, fallback) => {
    const i = argv.indexOf(name)
    return i >= 0 ? Number(argv[i + 1]) : fallback
  }
  const json = argv.includes('--json')
  measureUi({
    steps: value('--steps', 5000),
    runs: value('--runs', 3),
    settleMs: value('--settle', 1000),
    build: !argv.includes('--no-build'),
    trace: !argv.includes('--no-trace'),
    profile: argv.includes('--profile') ? argv[argv.indexOf('--profile') + 1] : null,
    json
  })
    .then((report) => {
      if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
    })
    .catch((error) => {
      console.error(error)
      process.exit(1)
    })
}
