// What changed in the names and labels docs/metrics.md lists, newest first: queries, dashboards and alert rules
// written against an earlier list need these. scripts/metrics-doc.ts renders it into the document, and
// test/metrics/catalogue.test.ts checks that each renamed metric is declared under its new name only.

export interface MetricChange {
  /** What a query named before, and what it names now (Markdown). */
  readonly before: string
  readonly now: string
  readonly why: string
  /** For a renamed family: its old and new name, which the catalogue test checks. */
  readonly renamed?: readonly [before: string, now: string]
}

export interface MetricChangeSet {
  readonly title: string
  readonly summary: string
  readonly changes: readonly MetricChange[]
}

export const METRIC_CHANGES: readonly MetricChangeSet[] = [
  {
    title: 'Removed for the speed of every request',
    summary:
      "Measuring a response's size meant reading its headers, which makes the Node server build a full Response for every request: the module answered about a tenth fewer requests per second than without it (wrk against `/version`). Most of the module's answers declare no length there, so the histogram recorded little. Micrometer has no such metric.",
    changes: [
      {
        before: '`http_server_response_size_bytes` (histogram by `method`, `uri`)',
        now: '-',
        why: 'Its cost on every request outweighed the little it recorded; request counts and durations stay in `http_server_requests_seconds`.',
      },
    ],
  },
  {
    title: 'Health as a metric',
    summary:
      'Alert rules and dashboards need to know when `/actuator/health` is not UP without calling it. Spring Boot has no built-in metric for it; its how-to "Map Health Indicators to Micrometer Metrics" registers a gauge that reads `HealthEndpoint` at scrape. The module does the same, per component.',
    changes: [
      {
        before: '-',
        now: '`meshstack_health_status{component}` (gauge)',
        why: "One series per component of `/actuator/health` (`db`, `diskSpace`, `ping`, `remoteWrite`, the host's own): 1 when UP, 0 for any other status. Read at scrape from the same cached checks the endpoint answers from (`HEALTH_CACHE_TTL_MS`); no detail of a check becomes a label.",
      },
    ],
  },
  {
    title: 'Named as Micrometer and Spring Boot name them',
    summary:
      'Dashboards made for Spring services ("JVM (Micrometer)", "Spring Boot 2.1 System Monitor") query the names and labels Micrometer\'s Prometheus registry and Spring Boot 3 write, and select every panel by `application`. The module now writes them where it measures the same thing; where Micrometer has no name for a figure, the names stay.',
    changes: [
      {
        before: '`system_cpus`',
        now: '`system_cpu_count`',
        why: "Micrometer's name (ProcessorMetrics, `system.cpu.count`). It counts the processors available to the process, as the JVM's `availableProcessors()` does. promtool's lint flags a gauge ending in `_count`, as it flags Spring Boot's.",
        renamed: ['system_cpus', 'system_cpu_count'],
      },
      {
        before: '`mysql_global_status_questions` (gauge)',
        now: '`mysql_global_status_questions_total` (counter)',
        why: 'The value only grows: typed as a counter, PromQL tooling and OpenMetrics readers know to take `rate()` of it. mysqld_exporter writes the old name, untyped.',
        renamed: ['mysql_global_status_questions', 'mysql_global_status_questions_total'],
      },
      {
        before: '`mysql_global_status_slow_queries` (gauge)',
        now: '`mysql_global_status_slow_queries_total` (counter)',
        why: 'The same.',
        renamed: ['mysql_global_status_slow_queries', 'mysql_global_status_slow_queries_total'],
      },
      {
        before: '`http_server_requests_seconds{status="2xx"}`',
        now: '`http_server_requests_seconds{status="200"}`',
        why: 'Spring Boot\'s label is the exact status code. Queries by class still work with `status=~"2.."`.',
      },
      {
        before: '`method="OTHER"`',
        now: '`method="UNKNOWN"`',
        why: "Spring's value for a method outside `GET HEAD POST PUT PATCH DELETE OPTIONS TRACE` (now known too), on `http_server_requests_seconds` and `http_server_response_size_bytes`.",
      },
      {
        before: '`uri="/api/workspaces/:id"`, `uri="/actuator/health/:path{.+}"`',
        now: '`uri="/api/workspaces/{id}"`, `uri="/actuator/health/{*path}"`',
        why: "Spring's route template syntax (`{id}`, `{id:regex}`, `{*path}`, `**`). A request that no route answered and that a middleware answered is `REDIRECTION` for a 3xx and `UNKNOWN` otherwise (a 404 stays `NOT_FOUND`), as Spring has it.",
      },
      {
        before: '-',
        now: '`application="meshpanel"` on every series',
        why: "Spring Boot's common tag (`management.metrics.tags.application`), set by `METRICS_APPLICATION`.",
      },
      {
        before: '-',
        now: '`error` and `exception` on `http_server_requests_seconds`',
        why: "Spring Boot 3's labels: `none`, or the class of the error a handler threw (a closed list; others `OTHER`).",
      },
      {
        before: '-',
        now: '`http_server_requests_seconds_max` (gauge)',
        why: "The slowest request per series in the last 2 to 3 minutes, as Micrometer's Timer `_max` decays.",
      },
      {
        before: '-',
        now: '`process_cpu_usage` (gauge)',
        why: "Micrometer's share of the available processors the process used (0-1), since the previous scrape.",
      },
    ],
  },
]

const cell = (text: string): string => text.replace(/\|/g, '\\|')

/** The changes as the Markdown section of docs/metrics.md. */
export function changelogMarkdown(): string {
  const sections = METRIC_CHANGES.map(({ title, summary, changes }) =>
    [
      `### ${title}`,
      '',
      summary,
      '',
      '| before | now | why |',
      '| --- | --- | --- |',
      ...changes.map(({ before, now, why }) => `| ${cell(before)} | ${cell(now)} | ${cell(why)} |`),
    ].join('\n'),
  )
  return ['## Changes', '', sections.join('\n\n')].join('\n')
}
