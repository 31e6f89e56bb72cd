// nginx as in Plausible's proxy guide (NGINX row of /work/shared/reference/plausible.md §3), one worker, no access
// log, in two variants:
// - "nginx": with keep-alive connections to the upstream (`upstream` block with `keepalive 16`, plus the
//   `Connection ""` that keep-alive needs besides HTTP/1.1), which the guide does not have. It is the stronger
//   baseline, since the relay keeps its connections open too, and the one the ratios are taken against;
// - "nginx, guide as written": `proxy_pass` straight to the URL, so every event opens a new upstream connection.
import { join } from 'node:path'
import type { ChildProcesses } from '../../test/helpers/child-processes.ts'
import { freePort } from '../../test/helpers/free-port.ts'
import { startNginx } from '../../test/helpers/nginx.ts'

export { NGINX } from '../../test/helpers/nginx.ts'

function proxyBlock(port: number, upstreamPort: number, keepAlive: boolean): string {
  const upstream = keepAlive
    ? `upstream plausible {
    server 127.0.0.1:${upstreamPort};
    keepalive 16;
  }`
    : ''
  return `  ${upstream}
  server {
    listen 127.0.0.1:${port};
    location = /api/event {
      proxy_pass http://${keepAlive ? 'plausible' : `127.0.0.1:${upstreamPort}`}/api/event;
      proxy_set_header Host 127.0.0.1:${upstreamPort};
      proxy_buffering on;
      proxy_http_version 1.1;
      ${keepAlive ? 'proxy_set_header Connection "";' : ''}
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }
  }`
}

/**
 * Starts one variant under `dir` (which its worker, maybe another user, must be able to enter). Resolves with its
 * URL and its master's pid; it answers only `/api/event`.
 */
export async function startProxyNginx(
  processes: ChildProcesses,
  dir: string,
  upstreamPort: number,
  keepAlive: boolean,
): Promise<{ url: string; pid: number }> {
  const port = await freePort()
  const { pid } = await startNginx(processes, {
    prefix: join(dir, keepAlive ? 'nginx' : 'nginx-guide'),
    port,
    http: proxyBlock(port, upstreamPort, keepAlive),
  })
  return { url: `http://127.0.0.1:${port}`, pid }
}
