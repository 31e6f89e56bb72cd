import * as v from 'valibot'
import { integerBetween, NonEmptyTextSchema, objectMessage } from '../config/fields.ts'
import { MysqlUrlSchema } from '../config/url-fields.ts'

/** The meshStack database; without it there is no database health component and no database metrics. */
export interface DatabaseOptions {
  /** `mysql://user:pass@host:port/db` (`mariadb://` too). */
  url: string
  /** The query the `db` health component runs (default `SELECT 1`). */
  validationQuery?: string | undefined
  /** Name the host in health errors; off because host names tell an attacker where to go. */
  showHost?: boolean | undefined
  /** Connections the module's own pool opens at most (1-100, default 4). */
  connectionLimit?: number | undefined
}

export const DatabaseOptionsSchema = v.strictObject(
  {
    url: MysqlUrlSchema,
    validationQuery: v.optional(
      NonEmptyTextSchema('an SQL query returning one value, like "SELECT 1"'),
      'SELECT 1',
    ),
    showHost: v.optional(v.boolean('true or false'), false),
    connectionLimit: v.optional(integerBetween(1, 100, 'connections'), 4),
  },
  objectMessage,
)
