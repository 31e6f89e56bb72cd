import type { LogSink } from '../../logging/logger.ts'
import type { HostProcess } from '../../runtime/host-process.ts'
import { unrefTimer } from './unref-timer.ts'

/** How long a line may wait for the lines after it, so that a busy server writes stdout a few dozen times a second. */
const FLUSH_AFTER_MS = 20
/** Past this many bytes the lines are written at once, so a burst never holds much memory. */
const FLUSH_AT_BYTES = 64 * 1024
/** UTF-8 takes at most 3 bytes for each UTF-16 code unit of a string. */
const MAX_BYTES_PER_CODE_UNIT = 3
const NEWLINE = 0x0a

/**
 * How lines wait for their write: `encoded` into one reused buffer as they come, or `joined` into one string. V8
 * (Node, Deno) promotes joined lines that wait through two scavenges, so its old generation grows with the request
 * rate; JavaScriptCore (Bun) holds no more either way, and there encoding line by line cost 5 % CPU per request
 * (bench/HISTORY.md).
 */
export type PendingLines = 'encoded' | 'joined'

/**
 * A log sink that gathers lines for up to 20 ms and writes them to stdout at once. A write per line, or per turn
 * of the event loop, made the request log cost more than the request: `console.log` per line gave about 19,000
 * against 27,000 answers a second on Node for `/version`. Lines `encoded` as they come outlive no request: held as
 * one string, on Deno the request log alone raised the peak RSS under load from 57 to 80–85 MiB. A line may therefore reach stdout up to 20 ms after its answer reaches the client. Lines
 * still pending when the process exits (after a signal's shutdown, or an error) are written then.
 * @example createLogger('info', stdoutLog(nodeProcess))
 */
export function stdoutLog(
  host: Pick<HostProcess, 'writeStdout' | 'onExit'>,
  pending: PendingLines = 'encoded',
): LogSink {
  return pending === 'encoded' ? encodedLines(host) : joinedLines(host)
}

/** `write` now, or within 20 ms by a timer that never keeps the process alive (lines waiting are written on exit). */
function flushes(write: () => void): { readonly flushLater: () => void; readonly flush: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    write()
  }
  const flushLater = () => {
    if (timer !== undefined) return
    timer = setTimeout(flush, FLUSH_AFTER_MS)
    unrefTimer(timer)
  }
  return { flushLater, flush }
}

function encodedLines({ writeStdout, onExit }: Pick<HostProcess, 'writeStdout' | 'onExit'>): LogSink {
  const encoder = new TextEncoder()
  const buffer = new Uint8Array(2 * FLUSH_AT_BYTES)
  let used = 0
  const { flushLater, flush } = flushes(() => {
    if (used === 0) return
    const bytes = buffer.subarray(0, used)
    used = 0
    writeStdout(bytes)
  })
  onExit(flush)
  return (line) => {
    const mostBytes = line.length * MAX_BYTES_PER_CODE_UNIT + 1
    if (mostBytes > buffer.length - used) flush()
    if (mostBytes > buffer.length) {
      writeStdout(encoder.encode(`${line}\n`))
      return
    }
    used += encoder.encodeInto(line, buffer.subarray(used)).written
    buffer[used++] = NEWLINE
    if (used >= FLUSH_AT_BYTES) flush()
    else flushLater()
  }
}

function joinedLines({ writeStdout, onExit }: Pick<HostProcess, 'writeStdout' | 'onExit'>): LogSink {
  let pending = ''
  const { flushLater, flush } = flushes(() => {
    if (pending === '') return
    const text = pending
    pending = ''
    writeStdout(text)
  })
  onExit(flush)
  return (line) => {
    pending += `${line}\n`
    // A string's length counts UTF-16 code units: at most the bytes its UTF-8 takes.
    if (pending.length >= FLUSH_AT_BYTES) flush()
    else flushLater()
  }
}
