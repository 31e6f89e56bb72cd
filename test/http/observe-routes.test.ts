import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Hono, type MiddlewareHandler } from 'hono'
import {
  type ObservedRequest,
  observeRequests,
  type RequestObserver,
} from '../../src/http/observe-requests.ts'
import { observeEachRoute, observeNotFound } from '../../src/http/observe-routes.ts'

class WorkspaceLockedError extends Error {}

// As src/http/bearer.ts has it: a middleware that returns next(), which resolves to the context, not a response.
const managerOnly: MiddlewareHandler = async (c, next) => {
  if (c.req.header('authorization') !== 'Bearer s3cret') return c.body(null, 401)
  return next()
}

/** Routes of every shape the module has or may have: synchronous, asynchronous, behind a middleware, failing. */
function routes(): Hono {
  return new Hono()
    .get('/version', (c) => c.json({ package: '7.7.7' }))
    .get('/actuator/health/:path{.+}', async (c) => c.json({ status: 'UP' }))
    .get('/actuator/prometheus', managerOnly, async (c) => c.text('# EOF'))
    .get('/broken', () => {
      throw new TypeError('Cannot read properties of undefined')
    })
    .get('/locked', async () => {
      throw new WorkspaceLockedError('workspace customer-4711 is locked')
    })
    .get('/locked-behind-middleware', managerOnly, async () => {
      throw new WorkspaceLockedError('workspace customer-4711 is locked')
    })
}

const REQUESTS: readonly [string, RequestInit?][] = [
  ['/version'],
  ['/version', { method: 'HEAD' }],
  ['/actuator/health/liveness'],
  ['/actuator/prometheus'],
  ['/actuator/prometheus', { headers: { authorization: 'Bearer s3cret' } }],
  ['/broken'],
  ['/locked'],
  ['/locked-behind-middleware', { headers: { authorization: 'Bearer s3cret' } }],
  ['/wp-admin/install.php'],
  ['/version', { method: 'PROPFIND' }],
]

interface Seen {
  readonly observed: Omit<ObservedRequest, 'durationMs' | 'error'> & { error: string | undefined }
  readonly answered: number
}

/** Sends every request of REQUESTS, one at a time, and what each observer saw of it next to what was answered. */
async function observe(
  serve: (observer: RequestObserver) => Hono,
): Promise<{ seen: Seen[]; inFlight: number }> {
  const observed: ObservedRequest[] = []
  let inFlight = 0
  const app = serve({
    entered: () => inFlight++,
    left: (request) => {
      inFlight--
      observed.push(request)
    },
  })
  const answered: number[] = []
  for (const [path, init] of REQUESTS) answered.push((await app.request(path, init)).status)
  assert.ok(
    observed.every(({ durationMs }) => durationMs >= 0 && durationMs < 1000),
    'durations in ms',
  )
  const seen = observed.map(({ method, route, status, error }, index) => ({
    observed: { method, route, status, error: error?.name },
    answered: answered[index] as number,
  }))
  return { seen, inFlight }
}

const onError = (app: Hono): Hono => app.onError((_error, c) => c.body(null, 500))

describe('observing each route of an app that is the whole server', () => {
  it('sees each request once, by route template, with the status it was answered with and what its handler threw', async () => {
    const { seen, inFlight } = await observe((observer) => {
      const app = new Hono().route('/', observeEachRoute(routes(), [observer]))
      return onError(app.notFound(observeNotFound((c) => c.body(null, 404), [observer])))
    })
    assert.deepEqual(seen, [
      { observed: { method: 'GET', route: '/version', status: 200, error: undefined }, answered: 200 },
      { observed: { method: 'HEAD', route: '/version', status: 200, error: undefined }, answered: 200 },
      {
        observed: { method: 'GET', route: '/actuator/health/{*path}', status: 200, error: undefined },
        answered: 200,
      },
      {
        observed: { method: 'GET', route: '/actuator/prometheus', status: 401, error: undefined },
        answered: 401,
      },
      {
        observed: { method: 'GET', route: '/actuator/prometheus', status: 200, error: undefined },
        answered: 200,
      },
      { observed: { method: 'GET', route: '/broken', status: 500, error: 'TypeError' }, answered: 500 },
      { observed: { method: 'GET', route: '/locked', status: 500, error: 'Error' }, answered: 500 },
      {
        observed: { method: 'GET', route: '/locked-behind-middleware', status: 500, error: 'Error' },
        answered: 500,
      },
      { observed: { method: 'GET', route: 'NOT_FOUND', status: 404, error: undefined }, answered: 404 },
      { observed: { method: 'PROPFIND', route: 'NOT_FOUND', status: 404, error: undefined }, answered: 404 },
    ])
    assert.equal(inFlight, 0, 'every request that entered left')
  })

  it('sees the same as the middleware a mounted app observes with', async () => {
    const eachRoute = await observe((observer) => {
      const app = new Hono().route('/', observeEachRoute(routes(), [observer]))
      return onError(app.notFound(observeNotFound((c) => c.body(null, 404), [observer])))
    })
    const middleware = await observe((observer) =>
      onError(
        new Hono()
          .use(observeRequests([observer]))
          .route('/', routes())
          .notFound((c) => c.body(null, 404)),
      ),
    )
    assert.deepEqual(eachRoute, middleware)
  })

  it('answers a route without a middleware synchronously, as a bare Hono route is answered', () => {
    const app = new Hono().route('/', observeEachRoute(routes(), [{ left: () => {} }]))
    assert.ok(!(app.fetch(new Request('http://localhost/version')) instanceof Promise))
  })
})
