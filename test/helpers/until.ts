import assert from 'node:assert/strict'

/**
 * Polls `condition` every 50 ms until it holds; fails naming `what` after `timeoutMs`. A function for `what` is
 * called then, so the message can tell what a peer logged meanwhile.
 */
export async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string | (() => string),
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await condition())) {
    if (performance.now() > deadline)
      assert.fail(`${typeof what === 'function' ? what() : what} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
