import { Hono } from 'hono'
import type { PushFeature } from './feature.ts'
import { pushPreview } from './preview.ts'

/**
 * The push while it is off: the preview says so, and nothing is sent.
 * @example pushOff().transmitted() // { enabled: false, lastBatch: null }
 */
export function pushOff(): PushFeature {
  return { routes: new Hono(), transmitted: pushPreview({ enabled: false, last: () => undefined }) }
}
