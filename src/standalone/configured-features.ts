import type { OptionalFeatures } from '../app.ts'
import type { ResolvedOptions } from '../options.ts'

/**
 * The optional features the options turn on, and only those imported: a server with the relay and the push off
 * never loads them (nor the push's protobuf and snappy), which shortens its start.
 * @example composeTelemetryApp(options, ports, { features: await configuredFeatures(options) })
 */
export async function configuredFeatures(options: ResolvedOptions): Promise<OptionalFeatures> {
  const [relay, push] = await Promise.all([
    options.plausible.enabled ? import('../relay/feature.ts') : undefined,
    options.remoteWrite === undefined ? undefined : import('../push/feature.ts'),
  ])
  return { relay: relay?.relayFeature, push: push?.pushFeature }
}
