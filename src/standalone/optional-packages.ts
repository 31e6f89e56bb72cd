import { loadMysql } from '../adapter/shared/load-mysql.ts'
import { OPTIONAL_FEATURES } from '../optional-features.ts'
import type { ResolvedOptions } from '../options.ts'

/**
 * Loads, before the server listens, the optional peers the configured features would load on first use, so one
 * that is missing stops the start with a `MissingPackageError` naming it and its variable, rather than failing the
 * first health check, event or push. `outbound` loads what the runtime's outbound HTTP needs (undici on Node).
 * A feature that is off loads nothing.
 * @example await loadConfiguredPackages(options, loadUndici)
 */
export async function loadConfiguredPackages(
  options: ResolvedOptions,
  outbound: (() => Promise<unknown>) | undefined,
): Promise<void> {
  const sends = OPTIONAL_FEATURES.relay.on(options) || OPTIONAL_FEATURES.push.on(options)
  await Promise.all([
    options.database === undefined ? undefined : loadMysql(),
    // Imported only then: the push's modules stay out of what a server without it loads (its own chunk in bundles).
    options.remoteWrite === undefined
      ? undefined
      : import('../push/batches.ts').then(({ loadWriteRequestEncoding }) => loadWriteRequestEncoding()),
    sends ? outbound?.() : undefined,
  ])
}
