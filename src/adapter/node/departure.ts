import type { Dispatcher } from 'undici'

/** Whether undici began writing a request to a connection; handed to it as the request's `opaque`. */
export interface Departure {
  left: boolean
}

const isDeparture = (value: unknown): value is Departure =>
  typeof value === 'object' && value !== null && 'left' in value

/**
 * Notes in a request's `Departure` when undici hands it to a connected socket (`onRequestStart`, called from
 * lib/dispatcher/client-h1.js `writeH1` before the first byte is written). A request that failed before that never
 * left: its connection was not made, whatever error or abort ended it.
 * @example const dispatcher = agent.compose(noteDeparture)
 */
export const noteDeparture: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
  const departure = (options as { opaque?: unknown }).opaque
  if (!isDeparture(departure)) return dispatch(options, handler)
  return dispatch(options, {
    onRequestStart(controller, context) {
      departure.left = true
      handler.onRequestStart?.(controller, context)
    },
    onRequestUpgrade: (...args) => handler.onRequestUpgrade?.(...args),
    onResponseStart: (...args) => handler.onResponseStart?.(...args),
    onResponseData: (...args) => handler.onResponseData?.(...args),
    onResponseEnd: (...args) => handler.onResponseEnd?.(...args),
    onResponseError: (...args) => handler.onResponseError?.(...args),
  })
}
