export declare const electronPackageDir: string
export declare function electronVersion(): string | null
export declare function electronZipName(version?: string | null): string
export declare function electronCacheRoot(): string
export declare function electronCachedZipPath(version?: string | null): string
export declare function findElectronBinary(): { found: true; path: string } | { found: false; reason: string }
