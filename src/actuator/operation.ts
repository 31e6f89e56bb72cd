import type { Context, Handler } from 'hono'
import { problem } from '../http/problem.ts'
import { ACTUATOR_PRODUCED, type ApiVersion, negotiateActuator } from './media-type.ts'

/**
 * What an actuator read operation answers: a JSON body and its status, or nothing, which is 404 with an empty body
 * as Spring answers an operation that returns null. A `Response` is passed on as it is (a 400, say).
 */
export type ActuatorResult = { readonly body: unknown; readonly status?: number } | Response | undefined

const NOT_ACCEPTABLE = `This endpoint produces ${ACTUATOR_PRODUCED.join(', ')}`

/**
 * An actuator read operation over HTTP: the media type is negotiated first, so an unacceptable request costs no
 * work and gets 406; the operation then answers in the negotiated API version and content type, never cached.
 * @example app.get('/actuator/info', actuatorOperation(() => ({ body: info })))
 */
export function actuatorOperation(
  operation: (c: Context, version: ApiVersion) => ActuatorResult | Promise<ActuatorResult>,
): Handler {
  return async (c) => {
    const media = negotiateActuator(c.req.header('accept'))
    if (media === undefined) return problem(c, 406, 'Not Acceptable', NOT_ACCEPTABLE)
    const result = await operation(c, media.version)
    if (result instanceof Response) return result
    if (result === undefined) return c.body(null, 404)
    return new Response(JSON.stringify(result.body), {
      status: result.status ?? 200,
      headers: { 'content-type': media.contentType, 'cache-control': 'no-store' },
    })
  }
}
