import * as v from 'valibot'
import { integerBetween, NonEmptyTextSchema, objectMessage } from '../config/fields.ts'
import { sqlMetricDefinition } from './collectors/sql-metrics.ts'
import { definitionProblems, type LabelClass } from './definition.ts'

const COLUMN = 'a column name'
const SqlMetricSchema = v.pipe(
  v.strictObject(
    {
      name: NonEmptyTextSchema('a metric name like "meshstack_projects"'),
      help: NonEmptyTextSchema('a sentence saying what the metric counts'),
      query: NonEmptyTextSchema('an SQL query returning one row per series'),
      value: NonEmptyTextSchema(COLUMN),
      labels: v.optional(
        v.record(
          NonEmptyTextSchema(COLUMN),
          v.picklist(['operational', 'customer'], '"operational" or "customer"'),
        ),
        {},
      ),
      timeoutMs: v.optional(integerBetween(1, 60_000, 'milliseconds'), 5000),
      intervalMs: v.optional(integerBetween(1000, 86_400_000, 'milliseconds'), 60_000),
      maxSeries: v.optional(integerBetween(1, 100_000, 'series'), 1000),
    },
    objectMessage,
  ),
  v.check(
    (metric) => definitionProblems(sqlMetricDefinition(metric)).length === 0,
    'a gauge named in snake_case (not ending in _total, _count, _sum or _bucket), with snake_case label columns other than le, quantile and application',
  ),
)

export const PSEUDONYM_KEY = 'a secret of at least 32 characters'
const APPLICATION = 'a name of 1-63 letters, digits, ".", "_" or "-", like "meshpanel"'

/** A metric defined by an SQL query against the database: one series per row. */
export interface SqlMetricOptions {
  /** A gauge name in snake_case, like `meshstack_projects`. */
  name: string
  /** One sentence saying what it counts: the `# HELP` line. */
  help: string
  /** The SQL query, returning one row per series. */
  query: string
  /** The column holding the value. */
  value: string
  /** Columns that become labels, each classified: `customer` labels follow `customerLabels`. */
  labels?: Record<string, LabelClass> | undefined
  /** Longest the query may take (default 5000 ms). */
  timeoutMs?: number | undefined
  /** How often the query runs; scrapes in between read its last result (default 60000 ms). */
  intervalMs?: number | undefined
  /** Most series kept; rows beyond are dropped and counted (default 1000). */
  maxSeries?: number | undefined
}

/** The metrics part of the options: the customer-label policy and the SQL-defined metrics. */
export interface MetricsOptions {
  /** The `application` label on every series, as Spring Boot's common tag names the service (default `meshpanel`). */
  application?: string | undefined
  /** What customer-data labels become before metrics leave the installation (default `pseudonymize`). */
  customerLabels?: 'keep' | 'pseudonymize' | 'drop' | undefined
  /** The per-installation HMAC key for pseudonyms (at least 32 characters); keep it stable so pseudonyms are. */
  pseudonymKey?: string | undefined
  /** Metrics defined by SQL queries against the database (METRICS_SQL_FILE). */
  sql?: SqlMetricOptions[] | undefined
}

export const MetricsOptionsSchema = v.strictObject(
  {
    /** The `application` label on every series, as Spring Boot's common tag names the service dashboards select. */
    application: v.optional(
      v.pipe(v.string(APPLICATION), v.regex(/^[A-Za-z0-9][\w.-]{0,62}$/, APPLICATION)),
      'meshpanel',
    ),
    /** What customer-data labels become before metrics leave the installation. */
    customerLabels: v.optional(
      v.picklist(['keep', 'pseudonymize', 'drop'], 'one of keep, pseudonymize, drop'),
      'pseudonymize',
    ),
    /** The per-installation HMAC key for pseudonyms; keep it stable so pseudonyms are. */
    pseudonymKey: v.optional(v.pipe(v.string(PSEUDONYM_KEY), v.minLength(32, PSEUDONYM_KEY))),
    /** Metrics defined by SQL queries against the database (METRICS_SQL_FILE). */
    sql: v.optional(v.array(SqlMetricSchema, 'a list of metric definitions'), []),
  },
  objectMessage,
)

/** The metrics settings once validated, with their defaults. */
export type MetricsSettings = v.InferOutput<typeof MetricsOptionsSchema>
