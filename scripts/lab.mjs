#!/usr/bin/env node
// The `lab` command. Node 20 cannot run TypeScript by itself, so tsx compiles on the fly;
// everything the command does lives in src-main/cli.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src-main/cli/lab.ts')
main(process.argv.slice(2))
