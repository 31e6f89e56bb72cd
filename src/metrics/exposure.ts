import { type ExportedFamily, exportFamilies } from './export.ts'
import type { MetricsSettings } from './options.ts'
import { createLabelPolicy, type LabelPolicy } from './policy.ts'
import type { Registry } from './registry.ts'

/** What leaves the installation, whichever way: the scrape answers it and the push sends it. */
export interface Exposure {
  readonly policy: LabelPolicy
  /** Every family now, customer labels governed by the policy. */
  families(): Promise<ExportedFamily[]>
}

/**
 * The registry's families under the customer-label policy, label text cached per series across calls.
 * @example const exposure = createExposure(registry, settings); await exposure.families()
 */
export function createExposure(
  registry: Registry,
  { customerLabels, pseudonymKey }: Pick<MetricsSettings, 'customerLabels' | 'pseudonymKey'>,
): Exposure {
  // Without a key nothing can be pseudonymized safely, so customer labels are dropped (the catalogue says so).
  const mode = customerLabels === 'pseudonymize' && pseudonymKey === undefined ? 'drop' : customerLabels
  const policy = createLabelPolicy(mode, pseudonymKey)
  const cache: Parameters<typeof exportFamilies>[2] = new WeakMap()
  return { policy, families: async () => exportFamilies(await registry.collect(), policy, cache) }
}
