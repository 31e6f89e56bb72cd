import type { Context, Handler } from 'hono'
import { problem } from '../http/problem.ts'
import { whenDone } from '../maybe-async.ts'
import { ACTUATOR_PRODUCED, type ActuatorMedia, type ApiVersion, negotiateActuator } from './media-type.ts'

/**
 * What an actuator read operation answers: a JSON body and its status, or nothing, which is 404 with an empty body
 * as Spring answers an operation that returns null. A `Response` is passed on as it is (a 400, say).
 */
export type ActuatorResult = { readonly body: unknown; readonly status?: number } | Response | undefined

const NOT_ACCEPTABLE = `This endpoint produces ${ACTUATOR_PRODUCED.join(', ')}`

// Clients send a few Accept headers again and again; bounded, as any header may be sent.
const NEGOTIATIONS_KEPT = 64
const negotiated = new Map<string, ActuatorMedia | undefined>()
function negotiate(accept = ''): ActuatorMedia | undefined {
  if (negotiated.has(accept)) return negotiated.get(accept)
  const media = negotiateActuator(accept)
  if (negotiated.size >= NEGOTIATIONS_KEPT) negotiated.clear()
  negotiated.set(accept, media)
  return media
}

// An operation that answers with the same body object again (a cached health answer) is serialised once.
const serialised = new WeakMap<object, string>()
const json = (body: unknown): string => {
  if (typeof body !== 'object' || body === null) return JSON.stringify(body)
  let text = serialised.get(body)
  if (text === undefined) {
    text = JSON.stringify(body)
    serialised.set(body, text)
  }
  return text
}

/**
 * An actuator read operation over HTTP: the media type is negotiated first, so an unacceptable request costs no
 * work and gets 406; the operation then answers in the negotiated API version and content type, never cached.
 * @example app.get('/actuator/info', actuatorOperation(() => ({ body: info })))
 */
export function actuatorOperation(
  operation: (c: Context, version: ApiVersion) => ActuatorResult | Promise<ActuatorResult>,
): Handler {
  return (c) => {
    const media = negotiate(c.req.header('accept'))
    if (media === undefined) return problem(c, 406, 'Not Acceptable', NOT_ACCEPTABLE)
    return whenDone(operation(c, media.version), (result) => {
      if (result instanceof Response) return result
      if (result === undefined) return c.body(null, 404)
      return new Response(json(result.body), {
        status: result.status ?? 200,
        headers: { 'content-type': media.contentType, 'cache-control': 'no-store' },
      })
    })
  }
}
