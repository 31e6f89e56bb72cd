import type { HostProcess, StopSignal } from '../runtime/host-process.ts'

// The slice of Deno's API used here, declared locally as in deno-server.ts, so that tsc needs no Deno types.
interface DenoGlobal {
  readonly env: { toObject(): Record<string, string> }
  readonly stdout: { writeSync(bytes: Uint8Array): number }
  addSignalListener(signal: StopSignal, listener: () => void): void
  exit(code: number): never
}

const deno = () => (globalThis as unknown as { Deno: DenoGlobal }).Deno
const encoder = new TextEncoder()

/** Deno's own process API, so that the standalone server never sets up Deno's Node `process` (host-process.ts). */
export const denoProcess: HostProcess = {
  env: () => deno().env.toObject(),
  writeStdout: (text) => {
    // A write may take part of the bytes; the rest is written until none is left.
    let bytes = encoder.encode(text)
    while (bytes.length > 0) bytes = bytes.subarray(deno().stdout.writeSync(bytes))
  },
  onExit: (listener) => {
    // Deno dispatches `unload` on Deno.exit() and when the event loop runs empty, not on an uncaught error.
    for (const event of ['unload', 'error', 'unhandledrejection'])
      globalThis.addEventListener(event, listener)
  },
  onSignal: (signal, listener) => deno().addSignalListener(signal, () => listener(signal)),
  exit: (code) => deno().exit(code),
}
