import { maybeDeno } from '../deno/api.ts'

/**
 * Lets a timer run without keeping the process alive: `unref()` on Node and Bun, `Deno.unrefTimer` on Deno.
 * @example unrefTimer(setInterval(sample, 100))
 */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const handle = timer as unknown as { unref?: () => void }
  if (typeof handle.unref === 'function') handle.unref()
  else maybeDeno()?.unrefTimer(timer)
}
