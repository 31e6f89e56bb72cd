import type { Context } from 'hono'

const ACTUATOR_V3_JSON = 'application/vnd.spring-boot.actuator.v3+json'

/**
 * Actuator JSON: `application/json` by default, because many tools do not treat Spring's vendor type as JSON;
 * the vendor type when the client asks for it by name.
 */
export function actuatorJson(c: Context, body: unknown, status: number): Response {
  const asksForVendorType = (c.req.header('accept') ?? '').toLowerCase().includes(ACTUATOR_V3_JSON)
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': asksForVendorType ? ACTUATOR_V3_JSON : 'application/json',
      'cache-control': 'no-store',
    },
  })
}
