// Cold start: time from spawning a server to its first answered GET /version, median of 5 runs per
// runtime, as a ratio against a bare "hello" server on the same runtime started the same way.
// Run: npm run bench:cold-start   (after npm run build)
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/helpers/free-port.ts'
import { PATH_WITH_LOCAL_BINS, PROJECT_ROOT } from '../test/helpers/project.ts'
import { RUNTIMES } from '../test/helpers/runtimes.ts'
import { environmentLine } from './environment.ts'

const RUNS = 5
const BARE_SERVER = join(tmpdir(), 'bare-server.mjs')
const BARE_SOURCE = `
const port = Number(process.env.PORT)
const fetch = () => new Response('{}')
if (globalThis.Deno) Deno.serve({ port, hostname: '127.0.0.1', onListen() {} }, fetch)
else if (globalThis.Bun) Bun.serve({ port, hostname: '127.0.0.1', fetch })
else (await import('node:http')).createServer((_, res) => res.end('{}')).listen(port, '127.0.0.1')
`

async function timeToFirstAnswer(argv: readonly string[]): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const [command = '', ...args] = argv
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: PATH_WITH_LOCAL_BINS, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  })
  try {
    for (;;) {
      const answered = await fetch(`http://127.0.0.1:${port}/version`).then(
        (response) => response.ok,
        () => false,
      )
      if (answered) return performance.now() - started
      if (performance.now() - started > 20_000)
        throw new Error(`${argv.join(' ')} did not answer within 20 s`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    child.kill('SIGKILL')
  }
}

async function median(argv: readonly string[]): Promise<number> {
  const times: number[] = []
  for (let run = 0; run < RUNS; run++) times.push(await timeToFirstAnswer(argv))
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Number.NaN
}

console.log(`${environmentLine()}\n`)
await writeFile(BARE_SERVER, BARE_SOURCE)
console.log(`| runtime | command | module (median of ${RUNS}) | bare server | ratio |`)
console.log('| --- | --- | --- | --- | --- |')
for (const runtime of RUNTIMES) {
  const bare = await median(runtime.runFile(BARE_SERVER).filter((arg) => arg !== '--import' && arg !== 'tsx'))
  const module = await median(runtime.standalone)
  const ms = (value: number): string => `${value.toFixed(0)} ms`
  console.log(
    `| ${runtime.name} | \`${runtime.standalone.join(' ')}\` | ${ms(module)} | ${ms(bare)} | ${(module / bare).toFixed(2)}x |`,
  )
}
