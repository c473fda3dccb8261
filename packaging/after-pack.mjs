// electron-builder `afterPack` hook: flips the Electron fuses listed in packaging/fuses.json into
// the packaged binary. Wire it with `"afterPack": "./packaging/after-pack.mjs"` in the builder config.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const configPath = join(import.meta.dirname, 'fuses.json')

/** The @electron/fuses config for `fuses.json`: fuse names mapped to their index in the fuse wire. */
export function fuseConfig(FuseV1Options, FuseVersion, json = JSON.parse(readFileSync(configPath, 'utf8'))) {
  const config = { version: FuseVersion.V1, strictlyRequireAllFuses: json.strictlyRequireAllFuses === true }
  for (const [name, value] of Object.entries(json.fuses)) {
    if (!(name in FuseV1Options)) throw new Error(`packaging/fuses.json: unknown fuse ${name}`)
    if (typeof value !== 'boolean') throw new Error(`packaging/fuses.json: ${name} must be true or false`)
    config[FuseV1Options[name]] = value
  }
  return config
}

/** The Electron executable inside electron-builder's output folder for this platform. */
function electronExecutable(context) {
  const name = context.packager.appInfo.productFilename
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`)
    case 'win32':
      return join(context.appOutDir, `${name}.exe`)
    default:
      return join(context.appOutDir, context.packager.executableName ?? name)
  }
}

export default async function afterPack(context) {
  const { flipFuses, FuseV1Options, FuseVersion } = await import('@electron/fuses')
  const config = fuseConfig(FuseV1Options, FuseVersion)
  config.resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === 3 // arm64
  await flipFuses(electronExecutable(context), config)
}
