import type { HostProcess } from '../../runtime/host-process.ts'
import { deno } from './api.ts'

const encoder = new TextEncoder()

/** Deno's own process API, so that the standalone server never sets up Deno's Node `process` (host-process.ts). */
export const denoProcess: HostProcess = {
  env: () => deno().env.toObject(),
  hostname: () => deno().hostname(),
  writeStdout: (chunk) => {
    // A write may take part of the bytes; the rest is written until none is left.
    let rest = typeof chunk === 'string' ? encoder.encode(chunk) : chunk
    while (rest.length > 0) rest = rest.subarray(deno().stdout.writeSync(rest))
  },
  onExit: (listener) => {
    // Deno dispatches `unload` on Deno.exit() and when the event loop runs empty, not on an uncaught error.
    for (const event of ['unload', 'error', 'unhandledrejection'])
      globalThis.addEventListener(event, listener)
  },
  onSignal: (signal, listener) => deno().addSignalListener(signal, () => listener(signal)),
  exit: (code) => deno().exit(code),
}
