import type { Server } from 'node:http'
export declare function resolveRequestPath(rootDir: string, rawUrl: string): string | null
export declare function createStaticServer(rootDir?: string): Server
