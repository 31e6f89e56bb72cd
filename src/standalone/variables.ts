import type { Variable } from '../config/environment.ts'
import { readBoolean, readInteger, readList, splitList } from '../config/environment.ts'
import { PROXY_VARIABLES } from '../config/proxy.ts'

// Every environment variable the standalone server reads: the reader, its error messages and the README's table
// (`npm run docs:config`) all come from this list. Rows are in the README's order.

/**
 * `Signup:plan,Feedback:rating|topic|message`: accepted events and their props. Page views are always accepted,
 * so the list adds custom events.
 */
function readEventAllowlist(text: string): Record<string, string[]> {
  const events: Record<string, string[]> = { pageview: [], engagement: [] }
  for (const entry of splitList(text)) {
    const [name = '', props = ''] = entry.split(':')
    events[name.trim()] = props
      .split('|')
      .map((prop) => prop.trim())
      .filter(Boolean)
  }
  return events
}

function readTrustProxy(text: string): unknown {
  if (text.toLowerCase() === 'false') return false
  if (/^\d+$/.test(text)) return Number(text)
  // "true" would trust any client to name its own address, which is never what is meant.
  if (text.toLowerCase() === 'true') return text
  return splitList(text)
}

/** `{ "metrics": [...] }` gives its list; anything else is passed on for the schema to reject. */
const metricsOf = (content: unknown): unknown =>
  typeof content === 'object' && content !== null && 'metrics' in content ? content.metrics : content

export const VARIABLES: readonly Variable[] = [
  {
    name: 'PORT',
    path: 'server.port',
    read: readInteger,
    defaultText: '`8080`',
    meaning: 'port to listen on (1-65535)',
  },
  { name: 'HOST', path: 'server.host', defaultText: '`0.0.0.0`', meaning: 'address to listen on' },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    path: 'server.shutdownTimeoutMs',
    read: readInteger,
    defaultText: '`10000`',
    meaning:
      'how long shutdown may take after SIGTERM/SIGINT, once `SHUTDOWN_DELAY_MS` has passed: requests in flight finish, the relay sends what it holds, connections and the database pool close (0-600000)',
  },
  {
    name: 'DENO_CONNECTION_TIMEOUTS',
    path: 'server.denoConnectionTimeouts',
    read: readBoolean,
    defaultText: '`false`',
    meaning:
      "on Deno, close connections that send no whole request head within 60 s or stay silent 5 s after an answer, as Node's server does (`true` or `false`); costs most of Deno's throughput, so leave it off behind a reverse proxy that keeps such timeouts",
  },
  {
    name: 'SHUTDOWN_DELAY_MS',
    path: 'server.shutdownDelayMs',
    read: readInteger,
    defaultText: '`0`',
    meaning:
      'how long readiness reports OUT_OF_SERVICE after SIGTERM while the server still serves, so load balancers notice first (0-600000)',
  },
  {
    name: 'DATABASE_URL',
    path: 'telemetry.database.url',
    defaultText: 'unset',
    meaning:
      "meshStack's database, `mysql://user:pass@host:port/db` (`mariadb://` too); unset means no database component and no database metrics",
  },
  {
    name: 'DATABASE_VALIDATION_QUERY',
    path: 'telemetry.database.validationQuery',
    defaultText: '`SELECT 1`',
    meaning: 'the query the `db` health component runs',
  },
  {
    name: 'DATABASE_SHOW_HOST',
    path: 'telemetry.database.showHost',
    read: readBoolean,
    defaultText: '`false`',
    meaning: 'name the database host in health errors (`true` or `false`)',
  },
  {
    name: 'DATABASE_CONNECTION_LIMIT',
    path: 'telemetry.database.connectionLimit',
    read: readInteger,
    defaultText: '`4`',
    meaning: "connections the module's own pool opens at most (1-100)",
  },
  {
    name: 'HEALTH_SHOW_DETAILS',
    path: 'telemetry.health.showDetails',
    defaultText: '`when-authorized` once `MANAGEMENT_TOKEN` is set, otherwise `always`',
    meaning:
      'who sees components and details of `/actuator/health`: `always`, `when-authorized` (callers presenting `MANAGEMENT_TOKEN`) or `never`; the probe groups answer their status to everyone',
  },
  {
    name: 'HEALTH_TIMEOUT_MS',
    path: 'telemetry.health.timeoutMs',
    read: readInteger,
    defaultText: '`2000`',
    meaning: 'longest a health check may take before it counts as DOWN (1-60000)',
  },
  {
    name: 'HEALTH_CACHE_TTL_MS',
    path: 'telemetry.health.cacheTtlMs',
    read: readInteger,
    defaultText: '`1000`',
    meaning: "how long a check's result is reused, however many probes ask (0-3600000)",
  },
  {
    name: 'HEALTH_SLOW_THRESHOLD_MS',
    path: 'telemetry.health.slowThresholdMs',
    read: readInteger,
    defaultText: '`1000`',
    meaning: 'checks slower than this are logged at WARN (1-60000)',
  },
  {
    name: 'HEALTH_DISK_PATH',
    path: 'telemetry.health.diskSpace.path',
    defaultText: '`.`',
    meaning: 'a path on the filesystem that the `diskSpace` component and the disk metrics measure',
  },
  {
    name: 'HEALTH_DISK_THRESHOLD_BYTES',
    path: 'telemetry.health.diskSpace.thresholdBytes',
    read: readInteger,
    defaultText: '`10485760`',
    meaning: '`diskSpace` is DOWN when fewer bytes than this are free',
  },
  {
    name: 'HEALTH_READINESS_INCLUDE',
    path: 'telemetry.health.readinessIncludes',
    read: readList,
    defaultText: '`db` when `DATABASE_URL` is set',
    meaning: 'comma-separated health components that the readiness group checks as well',
  },
  {
    name: 'MANAGEMENT_TOKEN',
    path: 'telemetry.managementToken',
    defaultText: 'unset',
    meaning:
      'bearer token that `/actuator/prometheus`, `/metrics`, `/actuator/metrics` and `/actuator/telemetry` then require, and health details unless `HEALTH_SHOW_DETAILS` says otherwise (at least 16 characters, no spaces)',
  },
  {
    name: 'PLAUSIBLE_ENABLED',
    path: 'telemetry.plausible.enabled',
    read: readBoolean,
    defaultText: '`false`',
    meaning: 'relay usage events and feedback to a central Plausible server (`true` or `false`)',
  },
  {
    name: 'PLAUSIBLE_URL',
    path: 'telemetry.plausible.url',
    defaultText: 'unset',
    meaning: 'the central Plausible server, e.g. `https://plausible.example.com`; required when enabled',
  },
  {
    name: 'PLAUSIBLE_DOMAIN',
    path: 'telemetry.plausible.domain',
    defaultText: 'unset',
    meaning: 'the site domain registered in Plausible, e.g. `meshpanel.example.com`; required when enabled',
  },
  {
    name: 'PLAUSIBLE_EVENTS',
    path: 'telemetry.plausible.events',
    read: readEventAllowlist,
    defaultText: '`Feedback:rating|topic|message`',
    meaning:
      'custom events the relay accepts, each with the props it may carry, e.g. `Signup:plan,Feedback:rating|topic`; page views and engagement events are always accepted',
  },
  {
    name: 'PLAUSIBLE_ALLOWED_ORIGINS',
    path: 'telemetry.plausible.allowedOrigins',
    read: readList,
    defaultText: 'unset',
    meaning:
      'page origins such as `https://panel.example.com` that may send events whatever host the request names; only needed behind a proxy that rewrites `Host` and passes neither `X-Forwarded-Host` nor `Forwarded` (see docs/relay.md)',
  },
  {
    name: 'PLAUSIBLE_ROUTES',
    path: 'telemetry.plausible.routes',
    read: readList,
    defaultText: 'unset',
    meaning:
      'route templates such as `/workspaces/:workspace`: page paths that match are sent as the template',
  },
  {
    name: 'PLAUSIBLE_QUERY_ALLOWLIST',
    path: 'telemetry.plausible.queryAllowlist',
    read: readList,
    defaultText: '`utm_*`',
    meaning: 'query parameters kept in page URLs; a trailing `*` makes a prefix',
  },
  {
    name: 'PLAUSIBLE_QUEUE_SIZE',
    path: 'telemetry.plausible.queueSize',
    read: readInteger,
    defaultText: '`1000`',
    meaning: 'events accepted and not yet forwarded (1-100000): the memory an outage can take; beyond, 503',
  },
  {
    name: 'PLAUSIBLE_CONCURRENCY',
    path: 'telemetry.plausible.concurrency',
    read: readInteger,
    defaultText: '`16`',
    meaning: 'sends to Plausible at a time (1-64); events per second ≈ concurrency ÷ round trip',
  },
  {
    name: 'PLAUSIBLE_TIMEOUT_MS',
    path: 'telemetry.plausible.timeoutMs',
    read: readInteger,
    defaultText: '`5000`',
    meaning: 'longest one send may take, connecting included (1-60000)',
  },
  {
    name: 'PLAUSIBLE_RETRY_WINDOW_MS',
    path: 'telemetry.plausible.retryWindowMs',
    read: readInteger,
    defaultText: '`60000`',
    meaning: 'how long after acceptance an event may still be retried (0-3600000)',
  },
  {
    name: 'PLAUSIBLE_DRAIN_TIMEOUT_MS',
    path: 'telemetry.plausible.drainTimeoutMs',
    read: readInteger,
    defaultText: '`5000`',
    meaning:
      'how long the relay may still send the events it holds at shutdown, once the server no longer serves; never past `SHUTDOWN_TIMEOUT_MS`; what is left is counted `failed` and logged (0-600000)',
  },
  {
    name: 'PLAUSIBLE_RATE_LIMIT_PER_MINUTE',
    path: 'telemetry.plausible.rateLimitPerMinute',
    read: readInteger,
    defaultText: '`120`',
    meaning: 'events each client address (each /64 for IPv6) may send per minute, on average',
  },
  {
    name: 'PLAUSIBLE_RATE_LIMIT_BURST',
    path: 'telemetry.plausible.rateLimitBurst',
    read: readInteger,
    defaultText: '`30`',
    meaning: 'events a client address (a /64 for IPv6) may send at once before the rate limit applies',
  },
  {
    name: 'PLAUSIBLE_BODY_TIMEOUT_MS',
    path: 'telemetry.plausible.bodyTimeoutMs',
    read: readInteger,
    defaultText: '`5000`',
    meaning:
      "longest a browser may take to send an event's whole body once its headers are in (100-60000); slower: 408 and the connection closed",
  },
  {
    name: 'PLAUSIBLE_AUDIT_EVENTS',
    path: 'telemetry.plausible.auditEvents',
    read: readInteger,
    defaultText: '`20`',
    meaning:
      'events sent to Plausible that `/actuator/telemetry` shows, newest first, exactly as sent but for the visitor’s address (0-1000; 0 keeps none)',
  },
  {
    name: 'TRUST_PROXY',
    path: 'telemetry.trustProxy',
    read: readTrustProxy,
    defaultText: '`false`',
    meaning:
      'who may name the client address in `X-Forwarded-For`: `false`, a number of proxy hops (1-10), or a comma-separated list of proxy addresses and CIDR ranges, IPv4 or IPv6 (e.g. `10.0.0.0/8,fd00::/8`)',
  },
  {
    name: 'METRICS_APPLICATION',
    path: 'telemetry.metrics.application',
    defaultText: '`meshpanel`',
    meaning:
      "the `application` label on every series, as Spring Boot's `management.metrics.tags.application` sets it: dashboards made for Micrometer select by it (1-63 letters, digits, `.`, `_`, `-`)",
  },
  {
    name: 'METRICS_CUSTOMER_LABELS',
    path: 'telemetry.metrics.customerLabels',
    defaultText: '`pseudonymize`',
    meaning: 'what customer-data labels become before metrics leave: `keep`, `pseudonymize` or `drop`',
  },
  {
    name: 'METRICS_PSEUDONYM_KEY',
    path: 'telemetry.metrics.pseudonymKey',
    defaultText: 'unset',
    meaning:
      "the installation's secret for pseudonyms (at least 32 characters, kept stable); required with the default `pseudonymize` once `METRICS_SQL_FILE` defines customer labels (otherwise choose `keep` or `drop`)",
  },
  {
    name: 'METRICS_SQL_FILE',
    path: 'telemetry.metrics.sql',
    file: { root: 'metrics', select: metricsOf },
    defaultText: 'unset',
    meaning:
      'a JSON file of metrics defined by SQL queries, like `examples/mesh-objects.json`; needs `DATABASE_URL`',
  },
  {
    name: 'METRICS_REMOTE_WRITE_URL',
    path: 'telemetry.remoteWrite.url',
    defaultText: 'unset',
    meaning:
      'push the metrics to the central monitoring system with Prometheus remote write, e.g. `https://metrics.example.com/api/v1/write` (a user and password in it are sent as basic auth); unset: nothing is pushed',
  },
  {
    name: 'METRICS_REMOTE_WRITE_TOKEN',
    path: 'telemetry.remoteWrite.token',
    defaultText: 'unset',
    meaning: 'bearer token for the receiver (instead of a user and password in the URL)',
  },
  {
    name: 'METRICS_INSTALLATION_ID',
    path: 'telemetry.remoteWrite.installationId',
    defaultText: 'unset',
    meaning:
      'the `installation` label on every pushed series, e.g. `acme-prod` (letters, digits, `.`, `_`, `-`); required when pushing',
  },
  {
    name: 'METRICS_INSTANCE',
    path: 'telemetry.remoteWrite.instance',
    defaultText: 'host name and `PORT`',
    meaning: "the `instance` label on every pushed series: this replica among the installation's",
  },
  {
    name: 'METRICS_REMOTE_WRITE_INTERVAL_SECONDS',
    path: 'telemetry.remoteWrite.intervalSeconds',
    read: readInteger,
    defaultText: '`30`',
    meaning: 'how often the metrics are pushed (1-3600)',
  },
  {
    name: 'METRICS_REMOTE_WRITE_TIMEOUT_MS',
    path: 'telemetry.remoteWrite.timeoutMs',
    read: readInteger,
    defaultText: '`10000`',
    meaning: 'longest one push request may take, connecting included (100-60000)',
  },
  {
    name: 'METRICS_REMOTE_WRITE_BUFFER_BATCHES',
    path: 'telemetry.remoteWrite.bufferBatches',
    read: readInteger,
    defaultText: '`20`',
    meaning:
      "push requests kept in memory while the receiver cannot take them (1-10000); beyond, the oldest is dropped and counted. With `METRICS_REMOTE_WRITE_SPOOL_DIR` the spool's bounds apply instead",
  },
  {
    name: 'METRICS_REMOTE_WRITE_MAX_SAMPLES',
    path: 'telemetry.remoteWrite.maxSamplesPerRequest',
    read: readInteger,
    defaultText: '`2000`',
    meaning: 'samples per push request; more are split into several (100-100000)',
  },
  {
    name: 'METRICS_REMOTE_WRITE_SPOOL_DIR',
    path: 'telemetry.remoteWrite.spoolDir',
    defaultText: 'unset',
    meaning:
      'a folder where every unsent push request is kept on disk (created if missing), so a restarted process sends what the last one could not, oldest first; unset: `METRICS_REMOTE_WRITE_BUFFER_BATCHES` in memory. Not on workerd, which has no file system',
  },
  {
    name: 'METRICS_REMOTE_WRITE_SPOOL_MAX_BYTES',
    path: 'telemetry.remoteWrite.spoolMaxBytes',
    read: readInteger,
    defaultText: '`67108864`',
    meaning:
      'most bytes of unsent requests the spool keeps (1048576-17179869184); beyond, the oldest is dropped and counted',
  },
  {
    name: 'METRICS_REMOTE_WRITE_SPOOL_MAX_AGE_SECONDS',
    path: 'telemetry.remoteWrite.spoolMaxAgeSeconds',
    read: readInteger,
    defaultText: '`7200`',
    meaning: 'oldest samples the spool keeps (60-604800); older requests are dropped and counted',
  },
  {
    name: 'APP_VERSION',
    path: 'telemetry.version.package',
    defaultText: '`version` from `package.json`',
    meaning: 'the `package` field of `/version`',
  },
  {
    name: 'GIT_COMMIT',
    path: 'telemetry.version.git',
    defaultText: 'read from `.git`',
    meaning: 'the commit (7-40 hex characters; `/version` shows the first 10); `unknown` without a checkout',
  },
  {
    name: 'GIT_BRANCH',
    path: 'telemetry.version.branch',
    defaultText: 'read from `.git`',
    meaning: 'the branch; `HEAD` for a detached checkout; `unknown` without a checkout',
  },
  {
    name: 'LOG_LEVEL',
    path: 'telemetry.logLevel',
    defaultText: '`info`',
    meaning: '`silent`, `error`, `warn`, `info` or `debug`',
  },
  ...PROXY_VARIABLES,
]
