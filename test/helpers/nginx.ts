// Debian's nginx, started in the foreground with its own prefix under a temporary folder: the http block is the
// caller's, everything nginx would otherwise write under /var is kept in that folder.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChildProcesses } from './child-processes.ts'
import { skipForMissingTool } from './skip.ts'

export const NGINX = '/usr/sbin/nginx'

/** Why nginx tests cannot run here, or undefined when they can. Under CI a missing nginx is a failure. */
export function nginxUnavailable(): string | undefined {
  if (existsSync(NGINX)) return undefined
  return skipForMissingTool('SKIPPED: no /usr/sbin/nginx on this machine (apt-get install nginx)')
}

/**
 * Starts nginx with `http` as the contents of its http block, one worker, no access log. `prefix` must be a new
 * folder nginx's worker (maybe another user) can enter. Resolves with the master's pid once it accepts connections
 * on `port`.
 */
export async function startNginx(
  processes: ChildProcesses,
  { prefix, port, http }: { readonly prefix: string; readonly port: number; readonly http: string },
): Promise<{ readonly pid: number }> {
  mkdirSync(prefix, { recursive: true })
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${join(prefix, kind)};`)
    .join('\n')
  const config = `worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
${temp}
${http}
}
`
  writeFileSync(join(prefix, 'nginx.conf'), config)
  const nginx = processes.start([
    NGINX,
    ...['-p', `${prefix}/`, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf')],
    ...['-g', 'daemon off;'],
  ])
  await untilAccepting(port, nginx)
  return { pid: nginx.pid }
}

async function untilAccepting(port: number, nginx: { running(): boolean; stderr(): string }): Promise<void> {
  const deadline = performance.now() + 10_000
  while (performance.now() < deadline) {
    if (!nginx.running()) throw new Error(`nginx exited:\n${nginx.stderr()}`)
    const accepted = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    )
    if (accepted) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`nginx did not accept connections on ${port} within 10 s:\n${nginx.stderr()}`)
}
