// A private, throwaway MariaDB for tests: its own datadir and port, so tests may stop, freeze and restart it
// without touching any shared server. See ../shared/reference/runtimes.md for the commands' background.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createConnection } from 'mysql2/promise'
import { freePort } from './free-port.ts'
import { skipForMissingTool } from './skip.ts'

/** The machine's MariaDB server binary, if it has one. */
export const MARIADBD = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd'].find((path) => existsSync(path))
const READY_TIMEOUT_MS = 30_000

/** Why MariaDB tests cannot run here, or undefined when they can. Under CI a missing server is a failure. */
export function mariadbUnavailable(): string | undefined {
  if (MARIADBD !== undefined) return undefined
  return skipForMissingTool(
    'SKIPPED: no mariadbd on this machine (apt-get install mariadb-server) to start a throwaway MariaDB',
  )
}

export interface ThrowawayMariaDb {
  readonly port: number
  /** `mysql://root@127.0.0.1:<port>/meshstack` */
  readonly url: string
  /** A user with a password, for credential tests. */
  readonly user: { readonly name: string; readonly password: string }
  query<T = unknown>(sql: string): Promise<T[]>
  /** SIGTERM and wait for the exit: connections are refused afterwards. */
  stop(): Promise<void>
  /** Starts again on the same port and datadir. */
  start(): Promise<void>
  /** stop() then start(): clients see their connections closed, then refused, then a fresh server. */
  restart(): Promise<void>
  /** SIGSTOP, resolved once every thread has stopped: the kernel still accepts connections, nobody answers. */
  freeze(): Promise<void>
  resume(): void
  dispose(): Promise<void>
}

async function allThreadsStopped(pid: number): Promise<boolean> {
  const threads = await readdir(`/proc/${pid}/task`)
  const states = await Promise.all(
    threads.map(
      async (thread) => (await readFile(`/proc/${pid}/task/${thread}/stat`, 'utf8')).split(') ')[1]?.[0],
    ),
  )
  return states.every((state) => state === 'T' || state === 't')
}

/** Initialises a datadir and starts a server on a free port: about a second. */
export async function startThrowawayMariaDb(): Promise<ThrowawayMariaDb> {
  if (MARIADBD === undefined) throw new Error('no mariadbd')
  const dir = await mkdtemp(join(tmpdir(), 'mariadb-'))
  const port = await freePort()
  const user = userInfo().username
  await promisify(execFile)('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dir}/data`,
    `--user=${user}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--innodb-log-file-size=8M',
  ])
  let server: ChildProcess | undefined
  const url = `mysql://root@127.0.0.1:${port}/meshstack`

  const query = async <T>(sql: string): Promise<T[]> => {
    const connection = await createConnection({
      host: '127.0.0.1',
      port,
      user: 'root',
      connectTimeout: 2000,
      multipleStatements: true,
    })
    try {
      const [rows] = await connection.query(sql)
      return rows as T[]
    } finally {
      await connection.end()
    }
  }

  const start = async (): Promise<void> => {
    server = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${dir}/data`,
        `--user=${user}`,
        '--bind-address=127.0.0.1',
        `--port=${port}`,
        `--socket=${dir}/mysqld.sock`,
        `--pid-file=${dir}/mysqld.pid`,
        `--log-error=${dir}/error.log`,
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=8M',
      ],
      { stdio: 'ignore' },
    )
    const deadline = Date.now() + READY_TIMEOUT_MS
    for (;;) {
      try {
        await query('SELECT 1')
        return
      } catch (error) {
        if (server.exitCode !== null)
          throw new Error(`mariadbd exited with ${server.exitCode}; see ${dir}/error.log`)
        if (Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }

  const stop = async (): Promise<void> => {
    const running = server
    if (running === undefined || running.exitCode !== null) return
    running.kill('SIGCONT')
    running.kill('SIGTERM')
    await once(running, 'exit')
  }

  await start()
  const credentials = { name: 'meshi', password: 'Sup3r-s3cret' }
  await query('CREATE DATABASE meshstack')
  await query(`CREATE USER '${credentials.name}'@'127.0.0.1' IDENTIFIED BY '${credentials.password}'`)
  await query(`GRANT ALL ON meshstack.* TO '${credentials.name}'@'127.0.0.1'`)

  return {
    port,
    url,
    user: credentials,
    query,
    stop,
    start,
    restart: async () => {
      await stop()
      await start()
    },
    freeze: async () => {
      const pid = server?.pid
      if (pid === undefined) throw new Error('mariadbd is not running')
      process.kill(pid, 'SIGSTOP')
      // Delivery is asynchronous: a query sent in the next moment could still be answered.
      while (!(await allThreadsStopped(pid))) await new Promise((resolve) => setTimeout(resolve, 2))
    },
    resume: () => server?.kill('SIGCONT'),
    dispose: async () => {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
