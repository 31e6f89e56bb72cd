import type { OptionalFeatures } from '../../optional-features.ts'
import { relayFeature } from '../../relay/feature.ts'
import type { RuntimePorts } from '../../runtime/ports.ts'
import { openFetchHttpClient } from '../shared/fetch-http-client.ts'
import { cloudflareClientAddress } from './client-address.ts'
import { workerdKeepRunning } from './keep-running.ts'

/**
 * What a Cloudflare worker offers: `fetch`, the client address Cloudflare names, and `waitUntil`; and what it
 * demands: every I/O object, a timeout's signal too, is its request's own.
 */
export const EDGE_PORTS: RuntimePorts = {
  openHttpClient: openFetchHttpClient,
  clientAddress: cloudflareClientAddress,
  keepRunning: workerdKeepRunning,
  requestScopedIo: true,
}

/**
 * The features an edge runtime runs: the relay, whose sends the worker keeps running past its answer. Not the push,
 * whose interval has no request to do its I/O on (and whose protobuf and snappy a worker's bundle need not carry).
 */
export const EDGE_FEATURES: OptionalFeatures = { relay: relayFeature, push: undefined }
