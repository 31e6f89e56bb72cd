// meshPanel's way of using the module: its own Hono app mounts the telemetry app and serves both.
// The /slow route lets tests keep a request in flight while the server shuts down.
import { Hono } from 'hono'
import { bunServer } from '../../src/adapter/bun/server.ts'
import { denoProcess } from '../../src/adapter/deno/process.ts'
import { denoServer } from '../../src/adapter/deno/server.ts'
import { nodeProcess } from '../../src/adapter/node/process.ts'
import { nodeServer } from '../../src/adapter/node/server.ts'
import { currentRuntime } from '../../src/adapter/shared/server-ports.ts'
import { createLogger } from '../../src/logging/logger.ts'
import { createTelemetryApp } from '../../src/mod.ts'
import { serveUntilSignal } from '../../src/standalone/serve.ts'

const { server, host } = {
  node: { server: nodeServer, host: nodeProcess },
  deno: { server: denoServer, host: denoProcess },
  bun: { server: bunServer, host: nodeProcess },
}[currentRuntime()]
const telemetry = createTelemetryApp({ version: { package: '1.2.3', git: 'abcdef0123', branch: 'main' } })
const meshPanel = new Hono()
meshPanel.route('/', telemetry)
meshPanel.get('/slow', async (c) => {
  await new Promise((resolve) => setTimeout(resolve, Number(c.req.query('ms'))))
  return c.text('finished')
})

await serveUntilSignal(
  server,
  meshPanel.fetch,
  {
    port: Number(process.env.PORT),
    host: '127.0.0.1',
    shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS),
    shutdownDelayMs: Number(process.env.SHUTDOWN_DELAY_MS ?? 0),
    denoConnectionTimeouts: false,
  },
  createLogger('info', console.log),
  telemetry.lifecycle,
  host,
)
