/**
 * Packaging, as far as it goes without an Electron binary or network (electron-builder downloads
 * Electron, NSIS, the AppImage runtime and dmg tools from GitHub when it really builds):
 * - electron-builder.yml passes electron-builder's own configuration schema, which does catch typos;
 * - the targets are AppImage + deb, NSIS and dmg, with the icon and the fuse hook wired in;
 * - the app folder is really packed (electron-builder's `dir` target) around a stand-in Electron
 *   binary that carries a fuse wire: app.asar holds the built app and nothing else, and the
 *   afterPack hook flipped every fuse to packaging/fuses.json's value.
 * The packing test needs the build (out/), like tests/host/fork.test.ts; `npm test` builds first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listPackage } from '@electron/asar'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { build, Platform } from 'electron-builder'
import { describe, expect, it } from 'vitest'
// electron-builder's own config loader and validator: what its CLI runs before anything else.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js'
import { DebugLogger } from 'builder-util/out/DebugLogger.js'

const root = join(import.meta.dirname, '..', '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const fuses = JSON.parse(readFileSync(join(root, 'packaging', 'fuses.json'), 'utf8')).fuses as Record<string, boolean>
const validate = (config: object): Promise<void> => validateConfiguration(config as Parameters<typeof validateConfiguration>[0], new DebugLogger(false))

describe('electron-builder.yml', async () => {
  const config = await getConfig(root, null, null)

  it('passes electron-builder’s configuration schema (and the schema catches a typo)', async () => {
    await expect(validate(config)).resolves.toBeUndefined()
    await expect(validate({ ...config, nsiss: { oneClick: false } })).rejects.toThrow(/unknown property 'nsiss'/)
    await expect(validate({ ...config, linux: { ...config.linux, targett: ['AppImage'] } })).rejects.toThrow(/configuration\.linux/)
  })

  it('builds AppImage and deb, NSIS and dmg, for the app id and name of package.json', () => {
    expect(config.linux!.target).toEqual(['AppImage', 'deb'])
    expect(config.win!.target).toEqual(['nsis'])
    expect(config.mac!.target).toEqual(['dmg'])
    expect(config.productName).toBe(pkg.productName)
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/)
    expect(config.linux!.maintainer).toMatch(/<.+@.+>/) // deb needs a maintainer with an address
  })

  it('flips the fuses of packaging/fuses.json after packing, and ships the app icon', () => {
    expect(config.afterPack).toBe('./packaging/after-pack.mjs')
    expect(existsSync(join(root, 'packaging', 'after-pack.mjs'))).toBe(true)
    const icon = readFileSync(join(root, config.icon!))
    expect(icon.subarray(1, 4).toString()).toBe('PNG')
    // electron-builder makes .icns and .ico from a PNG of at least 512 × 512 (1024 for retina).
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([1024, 1024])
    expect(existsSync(join(root, 'resources', 'icon.svg'))).toBe(true)
  })

  it('is what npm run dist runs, after the build', () => {
    expect(pkg.scripts.dist).toBe('npm run build && electron-builder --publish never')
    for (const os of ['linux', 'win', 'mac']) expect(pkg.scripts[`dist:${os}`]).toContain(`electron-builder --${os}`)
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/) // pinned exactly
  })
})

describe.skipIf(!existsSync(join(root, 'out', 'main', 'index.js')))('packing with a stand-in Electron (needs the build)', () => {
  it('puts only the built app in app.asar and flips every fuse as packaging/fuses.json says', { timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'optim-lab-pack-'))
    try {
      // Electron's layout: the binary, resources/, and a fuse wire in the binary (all fuses '1').
      const dist = join(work, 'electron-dist')
      mkdirSync(join(dist, 'resources'), { recursive: true })
      const names = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)))
      const wire = Buffer.concat([Buffer.from('#!/bin/sh\n# stand-in\n'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, names.length]), Buffer.alloc(names.length, '1')])
      writeFileSync(join(dist, 'electron'), wire)
      chmodSync(join(dist, 'electron'), 0o755)
      writeFileSync(join(dist, 'version'), pkg.devDependencies.electron)

      await build({
        projectDir: root,
        targets: Platform.LINUX.createTarget('dir'),
        config: { electronDist: dist, directories: { output: join(work, 'dist') } },
        publish: 'never'
      })

      const app = join(work, 'dist', 'linux-unpacked')
      const files = listPackage(join(app, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'))
      expect(files).toContain('/package.json')
      for (const built of ['/out/main/index.js', '/out/main/host.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(files).toContain(built)
      expect(files.filter((f) => /^\/(src-main|src-renderer|tests|e2e|node_modules|scripts)\b/.test(f))).toEqual([])
      expect(files.filter((f) => f.endsWith('.map'))).toEqual([])

      const flipped = await getCurrentFuseWire(join(app, 'optim-lab'))
      for (const name of names) {
        const index = FuseV1Options[name as keyof typeof FuseV1Options]
        expect([name, flipped[index]]).toEqual([name, fuses[name] ? FuseState.ENABLE : FuseState.DISABLE])
      }
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })
})
