import type { DatabaseClient, DatabaseConnector } from '../../runtime/database.ts'

/**
 * A connector whose driver loads with the first query rather than with the server: mysql2 takes about 50 ms to load
 * on Node, which every start paid, with a database or without. Until then the pool is empty, which it is.
 * @example const connectDatabase = lazyDatabase(async () => (await import('./mysql-database.ts')).connectMysql)
 */
export function lazyDatabase(load: () => Promise<DatabaseConnector>): DatabaseConnector {
  return (settings) => {
    let client: DatabaseClient | undefined
    let loading: Promise<DatabaseClient> | undefined
    const ready = (): Promise<DatabaseClient> => {
      loading ??= load().then((connect) => {
        client = connect(settings)
        return client
      })
      return loading
    }
    return {
      validate: async (query, signal) => (await ready()).validate(query, signal),
      query: async (sql, signal, timeoutMs) => (await ready()).query(sql, signal, timeoutMs),
      pool: () =>
        client?.pool() ?? { active: 0, idle: 0, pending: 0, max: settings.connectionLimit, rejected: 0 },
      lastValidationSeconds: () => client?.lastValidationSeconds(),
      // Nothing to close when nothing was opened: not loaded yet, or the driver could not be loaded.
      close: async () =>
        loading?.then(
          (opened) => opened.close(),
          () => undefined,
        ),
    }
  }
}
