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
