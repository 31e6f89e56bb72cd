import type { MetricDefinition, WithLabels } from './definition.ts'
import type { WindowMax } from './window-max.ts'

// What the registry holds and what collectors report, shared by the registry, the stores and the exporter.

export interface ScalarSeries {
  /** In the order the definition declares its labels. */
  readonly labelValues: readonly string[]
  value: number
}
export interface HistogramSeries {
  readonly labelValues: readonly string[]
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: number[]
  sum: number
  count: number
  /** Histograms declared with `max`: the `<name>_max` series, its value read from `window` at each collect. */
  readonly max?: ScalarSeries & { readonly window: WindowMax }
}
export type FamilySnapshot =
  | {
      readonly definition: MetricDefinition
      readonly kind: 'scalar'
      readonly series: readonly ScalarSeries[]
    }
  | {
      readonly definition: MetricDefinition
      readonly kind: 'histogram'
      readonly series: readonly HistogramSeries[]
    }

/** Reports one sample of a declared counter or gauge during a scrape: `emit(up, 1)`, `emit(free, { path }, 2e9)`. */
export type Emit = <Label extends string = never>(
  definition: MetricDefinition<Label>,
  ...sample: WithLabels<Label, [value: number]>
) => void

/** Computes gauges lazily, at scrape time. A collector that throws or times out costs only its own metrics. */
export interface Collector {
  /** Names it in `meshstack_telemetry_collector_success` and in the log when it fails. */
  readonly name: string
  /** Every family it emits, declared up front. */
  readonly definitions: readonly MetricDefinition[]
  /** Emits this scrape's samples; it should stop when `signal` aborts (the scrape's timeout). */
  collect(emit: Emit, signal: AbortSignal): Promise<void> | void
}
