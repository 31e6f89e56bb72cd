import type { ResolvedOptions } from './options.ts'
import type { pushFeature } from './push/feature.ts'
import type { relayFeature } from './relay/feature.ts'

/** The optional features as an entry loaded them; one it leaves out is undefined. */
export interface OptionalFeatures {
  readonly relay: typeof relayFeature | undefined
  readonly push: typeof pushFeature | undefined
}

/** The name of an optional feature, its key in every list of them. */
export type OptionalFeatureName = keyof OptionalFeatures

/** When an optional feature runs, and what its option must be with an entry that leaves it out. */
export interface OptionalFeature {
  /** Whether the options turn it on. */
  readonly on: (options: ResolvedOptions) => boolean
  /** The option that turns it on. */
  readonly option: string
  /** What that option must be with an entry that leaves the feature out, in words that complete "must be …". */
  readonly leftOut: string
}

/**
 * The features that run only when the options turn them on. The app asks this list which are on; each entry loads
 * them its own way, keyed by the same names: a host's synchronous `createTelemetryApp` imports them all
 * (`src/every-feature.ts`), the standalone server imports only those on (`src/standalone/configured-features.ts`),
 * an edge runtime has the relay alone (`src/adapter/workerd/edge-runtime.ts`). The loading stays out of this list
 * because bundlers follow every `import()` they see: a worker's bundle would carry the push.
 */
export const OPTIONAL_FEATURES: Readonly<Record<OptionalFeatureName, OptionalFeature>> = {
  relay: {
    on: (options) => options.plausible.enabled,
    option: 'plausible.enabled',
    leftOut: 'false with this entry, which leaves the relay out',
  },
  push: {
    on: (options) => options.remoteWrite !== undefined,
    option: 'remoteWrite.url',
    leftOut:
      'unset on this runtime, which cannot push in the background: let a Prometheus agent scrape and send instead (deploy/prometheus/agent.yml)',
  },
}
