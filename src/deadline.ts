/**
 * Waits for `work` until `signal` aborts, whichever comes first, and says which. When the signal wins only the
 * waiting ends: the work goes on, and a rejection it ends with later is ignored.
 * @example if ((await within(server.close(), deadline)) === 'aborted') logger.warn('requests still open')
 */
export function within(work: Promise<unknown>, signal: AbortSignal): Promise<'done' | 'aborted'> {
  return new Promise((resolve, reject) => {
    const abort = () => resolve('aborted')
    if (signal.aborted) abort()
    signal.addEventListener('abort', abort, { once: true })
    void work.then(() => resolve('done'), reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/**
 * Settles as `work` does, or rejects with the signal's reason the moment it aborts. What `work` brings after that
 * goes to `late`, for work that cannot be withdrawn but holds something to give back.
 * @example const connection = await unlessAborted(pool.getConnection(), signal, (late) => late.release())
 */
export function unlessAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  late: (value: T) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason)
    if (signal.aborted) abort()
    signal.addEventListener('abort', abort, { once: true })
    void work
      .then((value) => (signal.aborted ? late(value) : resolve(value)), reject)
      .finally(() => signal.removeEventListener('abort', abort))
  })
}

/**
 * A signal that aborts when `signal` does, with its reason, or after `timeoutMs` with a `TimeoutError`; `clear()` once
 * the work is over stops both. Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: Node 20 may collect a
 * timeout signal that only such a composite follows, and the composite then never aborts (nodejs/node#57736).
 * @example const deadline = withTimeout(signal, 2000); try { await work(deadline.signal) } finally { deadline.clear() }
 */
export function withTimeout(
  signal: AbortSignal,
  timeoutMs: number,
): { readonly signal: AbortSignal; readonly clear: () => void } {
  const controller = new AbortController()
  const giveUp = () => controller.abort(signal.reason)
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  )
  const clear = () => {
    clearTimeout(timer)
    signal.removeEventListener('abort', giveUp)
  }
  if (signal.aborted) giveUp()
  else signal.addEventListener('abort', giveUp, { once: true })
  controller.signal.addEventListener('abort', clear, { once: true })
  return { signal: controller.signal, clear }
}
