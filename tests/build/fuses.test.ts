/**
 * The packaging fuse configuration is complete and hardened: every fuse @electron/fuses knows for
 * our Electron is set explicitly, with the values the security checklist asks for.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FuseV1Options, FuseVersion } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ESM script without types
import { fuseConfig } from '../../packaging/after-pack.mjs'

const json = JSON.parse(readFileSync(join(import.meta.dirname, '../../packaging/fuses.json'), 'utf8'))
const fuseNames = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)))

describe('packaging/fuses.json', () => {
  it('sets every fuse of the fuse wire, and nothing else, each with a reason', () => {
    expect(Object.keys(json.fuses).sort()).toEqual([...fuseNames].sort())
    expect(Object.keys(json.reasons).sort()).toEqual([...fuseNames].sort())
    expect(json.strictlyRequireAllFuses).toBe(true)
  })

  it('turns off every way to run code past the app, and on the asar checks', () => {
    expect(json.fuses).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      GrantFileProtocolExtraPrivileges: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      EnableCookieEncryption: true
    })
  })

  it('becomes a strict @electron/fuses config over every index of the wire', () => {
    const config = fuseConfig(FuseV1Options, FuseVersion)
    expect(config.version).toBe(FuseVersion.V1)
    expect(config.strictlyRequireAllFuses).toBe(true)
    for (const name of fuseNames) expect(config[FuseV1Options[name as keyof typeof FuseV1Options]]).toBe(json.fuses[name])
    expect(() => fuseConfig(FuseV1Options, FuseVersion, { fuses: { RunAsNod: false } })).toThrow(/unknown fuse RunAsNod/)
  })
})
