import type { IsManager } from '../http/bearer.ts'
import type { PushFeature } from './feature.ts'
import { previewRoutes } from './preview.ts'

/**
 * The push while it is off: the preview says so, and nothing is sent.
 * @example app.route('/', pushOff(isManager).routes)
 */
export function pushOff(isManager: IsManager): PushFeature {
  return { routes: previewRoutes({ enabled: false, last: () => undefined }, isManager) }
}
