/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { DesktopApi } from '../../src-main/shared/protocol'

declare global {
  interface Window {
    /** Present only inside Electron, exposed by the preload. */
    optimLab?: DesktopApi
  }
}
