import type { OptionalFeatures } from './optional-features.ts'
import { pushFeature } from './push/feature.ts'
import { relayFeature } from './relay/feature.ts'

/** Every optional feature, loaded with the module: for hosts that create the app synchronously. */
export const EVERY_FEATURE: OptionalFeatures = { relay: relayFeature, push: pushFeature }
