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
