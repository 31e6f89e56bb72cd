import { OPTIONAL_FEATURES, type OptionalFeatureName, type OptionalFeatures } from '../optional-features.ts'
import type { ResolvedOptions } from '../options.ts'

// Each optional feature's own import: a chunk of its own in the server bundles, evaluated only when it is on.
const IMPORTS: {
  readonly [Name in OptionalFeatureName]: () => Promise<NonNullable<OptionalFeatures[Name]>>
} = {
  relay: async () => (await import('../relay/feature.ts')).relayFeature,
  push: async () => (await import('../push/feature.ts')).pushFeature,
}

const load = async <Name extends OptionalFeatureName>(
  name: Name,
  options: ResolvedOptions,
): Promise<OptionalFeatures[Name]> => (OPTIONAL_FEATURES[name].on(options) ? IMPORTS[name]() : undefined)

/**
 * The optional features the options turn on, and only those imported: a server with the relay and the push off
 * never loads them (nor the push's protobuf and snappy), which shortens its start.
 * @example composeTelemetryApp(options, ports, { features: await configuredFeatures(options) })
 */
export async function configuredFeatures(options: ResolvedOptions): Promise<OptionalFeatures> {
  const [relay, push] = await Promise.all([load('relay', options), load('push', options)])
  return { relay, push }
}
