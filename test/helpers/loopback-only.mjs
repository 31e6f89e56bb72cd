// The test suite's promise, "no network beyond loopback", checked: loaded with `--import` before the test runner, it
// makes every Node process of the run (the runner, each test file's process, every Node server, npm) refuse a DNS
// lookup or a connection to anything but loopback, and write it down, so an attempt that code swallows (a library's
// fallback, a retry) is still found. The runner fails at its exit when anything was written. Plain JavaScript: the
// Node servers the tests start have no TypeScript loader.
import dns from 'node:dns'
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPORT = 'LOOPBACK_ONLY_REPORT'

const isLoopback = (host) => {
  const name = String(host)
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (net.isIPv4(name)) return name.startsWith('127.') || name === '0.0.0.0'
  if (net.isIPv6(name)) return name === '::1' || name === '::' || /^::ffff:127\./.test(name)
  return false
}

/** Writes the attempt down with the frames that made it, outside this file and Node's own. */
const record = (kind, target) => {
  const frames = (new Error().stack ?? '')
    .split('\n')
    .slice(1)
    .filter((line) => !line.includes('loopback-only.mjs') && !line.includes('node:'))
    .slice(0, 4)
    .map((line) => line.trim())
  const entry = { kind, target, pid: process.pid, argv: process.argv.slice(1, 3), frames }
  appendFileSync(process.env[REPORT], `${JSON.stringify(entry)}\n`)
  const error = new Error(
    `${kind} ${target} refused: the test suite stays on loopback (test/helpers/loopback-only.mjs)`,
  )
  error.code = 'ENOTFOUND'
  return error
}

/** The host a `socket.connect(...)` call names: Node passes its own normalised `[options, callback]` too. */
const targetOf = (args) => {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  if (typeof first === 'object' && first !== null) {
    if (first.path !== undefined) return undefined
    return { host: first.host ?? 'localhost', port: first.port }
  }
  if (typeof first === 'number' || /^\d+$/.test(String(first)))
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first }
  return undefined // a Unix socket's path
}

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const target = targetOf(args)
  if (target === undefined || isLoopback(target.host)) return connect.apply(this, args)
  const error = record('connect', `${target.host}:${target.port}`)
  process.nextTick(() => this.destroy(error))
  return this
}

/** A lookup that asks no resolver: loopback's names, and an address written out, which `listen` looks up too. */
const staysHere = (hostname) => isLoopback(hostname) || net.isIP(String(hostname)) !== 0

const lookup = dns.lookup
dns.lookup = function (hostname, ...rest) {
  if (staysHere(hostname)) return lookup.call(this, hostname, ...rest)
  const error = record('lookup', hostname)
  const callback = rest.at(-1)
  process.nextTick(() => callback(error))
  return {}
}
const lookupPromise = dns.promises.lookup
dns.promises.lookup = function (hostname, ...rest) {
  if (staysHere(hostname)) return lookupPromise.call(this, hostname, ...rest)
  return Promise.reject(record('lookup', hostname))
}

// The first process to load this is the run's root: it names the report and passes this preload on to every Node
// process below it, then judges the report when it exits.
if (process.env[REPORT] === undefined) {
  const folder = mkdtempSync(join(tmpdir(), 'loopback-only-'))
  process.env[REPORT] = join(folder, 'attempts.jsonl')
  appendFileSync(process.env[REPORT], '')
  process.env.NODE_OPTIONS =
    `${process.env.NODE_OPTIONS ?? ''} --import=${fileURLToPath(import.meta.url)}`.trim()
  process.on('exit', () => {
    const attempts = readFileSync(process.env[REPORT], 'utf8').trim()
    rmSync(folder, { recursive: true, force: true })
    if (attempts === '') return
    process.stderr.write(
      `\nThe tests reached beyond loopback (README, "The tests need no network beyond loopback"):\n${attempts}\n`,
    )
    process.exitCode = 1
  })
}
