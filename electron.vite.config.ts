import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import type { Plugin } from 'vite'

const root = import.meta.dirname
const at = (path: string): string => resolve(root, path)

/**
 * The CSP meta in src-renderer/index.html is strict for the build. The dev server injects component
 * CSS as inline <style> tags (Svelte/Vite HMR), so style-src is relaxed only while serving.
 */
function devCsp(): Plugin {
  return {
    name: 'optim-lab:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
  }
}

/**
 * Fails the build when the built index.html has no Content-Security-Policy or allows inline or
 * eval'd script/style (`'wasm-unsafe-eval'` for WebAssembly is fine). Electron security checklist #7.
 */
function requireStrictCsp(): Plugin {
  return {
    name: 'optim-lab:require-strict-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const meta = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(?:"([^"]*)"|'([^']*)')/i.exec(html)
        if (!meta) throw new Error('src-renderer/index.html needs a <meta http-equiv="Content-Security-Policy">')
        const policy = meta[1] ?? meta[2]
        const loose = policy.match(/'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'/g)
        if (loose) throw new Error(`The renderer's CSP must not allow ${loose.join(', ')}: ${policy}`)
        if (!/script-src\s/.test(policy) && !/default-src\s/.test(policy)) {
          throw new Error(`The renderer's CSP must restrict scripts (script-src or default-src): ${policy}`)
        }
        return html
      }
    }
  }
}

export default defineConfig({
  main: {
    build: {
      // Two entries: out/main/index.js (main process) and out/main/host.js (utility-process entry).
      // package.json "type": "module" + Electron >= 28 => ES module output.
      rolldownOptions: {
        input: {
          index: at('src-main/main/index.ts'),
          host: at('src-main/host/utility-entry.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // Sandboxed preloads cannot be ES modules: one CommonJS file, named .cjs because of "type": "module".
      rolldownOptions: {
        input: { index: at('src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: at('src-renderer'),
    // Relative asset URLs: the same build runs from app://bundle/ and from any static http path.
    base: './',
    build: {
      rolldownOptions: {
        input: { index: at('src-renderer/index.html') }
      }
    },
    worker: { format: 'es' },
    plugins: [svelte({ configFile: at('svelte.config.js') }), devCsp(), requireStrictCsp()]
  }
})
