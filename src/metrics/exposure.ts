import { type ExportedFamily, exportFamilies } from './export.ts'
import type { MetricsSettings } from './options.ts'
import { createLabelPolicy, type LabelPolicy } from './policy.ts'
import type { CollectingRegistry } from './registry.ts'

/** What leaves the installation, whichever way: the scrape answers it and the push sends it. */
export interface Exposure {
  readonly policy: LabelPolicy
  /** Every family now, customer labels governed by the policy, every series labelled with the application. */
  families(): Promise<ExportedFamily[]>
}

/**
 * The registry's families under the customer-label policy, label text cached per series across calls.
 * @example const exposure = createExposure(registry, settings); await exposure.families()
 */
export function createExposure(
  registry: CollectingRegistry,
  {
    customerLabels,
    pseudonymKey,
    application,
  }: Pick<MetricsSettings, 'customerLabels' | 'pseudonymKey' | 'application'>,
): Exposure {
  // Without a key nothing can be pseudonymized safely, so customer labels are dropped (the catalogue says so).
  const mode = customerLabels === 'pseudonymize' && pseudonymKey === undefined ? 'drop' : customerLabels
  const policy = createLabelPolicy(mode, pseudonymKey)
  const cache: Parameters<typeof exportFamilies>[2] = new WeakMap()
  // Spring Boot's common tag (management.metrics.tags.application): dashboards built for Micrometer select every
  // panel by it. Added here, where the scrape and the push both take their series, and cached with the label text.
  const common = [['application', application]] as const
  return {
    policy,
    families: async () => exportFamilies(await registry.collect(), policy, cache, common),
  }
}
