import { Hono } from 'hono'
import { withTimeout } from '../deadline.ts'
import type { Feature } from '../feature.ts'
import type { HealthIndicator } from '../health/health.ts'
import type { Logger } from '../logging/logger.ts'
import { createRateLimitedLog } from '../logging/rate-limited.ts'
import type { Exposure } from '../metrics/exposure.ts'
import type { Registry } from '../metrics/registry.ts'
import type { OpenDurableFolder } from '../runtime/files.ts'
import type { OpenHttpClient } from '../runtime/http-client.ts'
import type { Pending } from './backlog.ts'
import { batchCollector } from './batches.ts'
import { createDelivery, type DeliveryOptions } from './delivery.ts'
import { pushMetrics } from './metrics.ts'
import type { EnabledRemoteWriteSettings } from './options.ts'
import { pushPreview, type TransmittedBatch } from './preview.ts'
import { createReceiver } from './receiver.ts'
import { backlogFor } from './spool/backlog.ts'

export interface PushFeatureDependencies {
  readonly settings: EnabledRemoteWriteSettings
  /** What leaves: the same families `/actuator/prometheus` answers, after the customer-label policy. */
  readonly exposure: Exposure
  readonly registry: Registry
  readonly openHttpClient: OpenHttpClient
  /** The file system the spool is kept on (`settings.spoolDir`); the app refuses a spool without it. */
  readonly openDurableFolder?: OpenDurableFolder | undefined
  /** `meshstack-telemetry/<version>`: receivers log who writes. */
  readonly userAgent: string
  readonly logger: Logger
}

/** The push, plus the health component the app adds to `/actuator/health` when it is on. */
export type PushFeature = Feature & { readonly indicator?: HealthIndicator }

// Silent for three intervals is an outage rather than one lost request.
const SILENT_INTERVALS = 3

/**
 * Pushes what `/actuator/prometheus` exposes to the central monitoring system with Prometheus remote write 1.0,
 * every interval once the host is ready, and once more at shutdown; reports the last request it sent for `/actuator/telemetry`. For
 * settings that turn it on (`pushOff` otherwise).
 * @example app.route('/', pushFeature({ settings, exposure, registry, openHttpClient, userAgent, logger }).routes)
 */
export function pushFeature({
  settings,
  exposure,
  registry,
  openHttpClient,
  openDurableFolder,
  userAgent,
  logger,
}: PushFeatureDependencies): PushFeature {
  const http = openHttpClient({ connectTimeoutMs: settings.timeoutMs })
  const receiver = createReceiver({ ...settings, userAgent, http })
  const instance = settings.instance ?? `process-${crypto.randomUUID().slice(0, 8)}`
  const collect = batchCollector(
    exposure,
    // `job` as a Prometheus agent scraping the module would name it (deploy/prometheus/agent.yml): the central
    // system sees the same series whichever way they came.
    [
      ['installation', settings.installationId],
      ['instance', instance],
      ['job', 'meshstack-telemetry'],
    ],
    settings.maxSamplesPerRequest,
  )
  const startedAt = Date.now()
  let lastSuccessMs: number | undefined
  let last: TransmittedBatch | undefined
  let droppedSamples = 0
  let keptSamples = 0
  const warn = createRateLimitedLog(logger.warn)
  const backlog = backlogFor(settings, openDurableFolder, registry, logger, warn)
  const record = (batch: Pending, outcome: TransmittedBatch['outcome'], status?: number, detail?: string) => {
    last = {
      target: receiver.target,
      sentAt: new Date().toISOString(),
      outcome,
      ...(status !== undefined && { status }),
      ...(detail !== undefined && { detail }),
      timestampMs: batch.timestampMs,
      samples: batch.samples,
      series: backlog.seriesOf(batch),
    }
  }

  const settled: DeliveryOptions<Pending>['settled'] = (batch, outcome, attempt) => {
    const { samples } = batch
    // The spool keeps what shutdown leaves for the next start: not lost, so not counted.
    if (outcome === 'left' && backlog.durable) {
      keptSamples += samples
      return
    }
    backlog.release(batch)
    if (outcome === 'sent') {
      lastSuccessMs = Date.now()
      metrics.samples('sent', samples)
      return
    }
    metrics.samples(outcome === 'refused' ? 'failed' : 'dropped', samples)
    if (outcome !== 'refused') droppedSamples += samples
    const detail = attempt && 'detail' in attempt ? attempt.detail : undefined
    if (outcome === 'refused')
      warn.write(`refused ${detail}`, 'remote write refused, batch dropped', { detail, samples })
    // The spool logs its drops with the bound that made them.
    else if (outcome === 'dropped' && !backlog.durable)
      warn.write('dropped', 'remote write buffer full, oldest batch dropped', { samples })
  }
  const delivery = createDelivery<Pending>({
    capacity: backlog.capacity,
    backoff: { initialMs: 1000, maxMs: Math.max(settings.intervalSeconds * 1000, 5000) },
    async send(batch) {
      const attempt = await receiver.send(batch.body)
      record(batch, attempt.outcome, attempt.status, 'detail' in attempt ? attempt.detail : undefined)
      return attempt
    },
    settled,
    retrying(_batch, attempt, delayMs) {
      metrics.retried()
      if ('detail' in attempt)
        warn.write(`retry ${attempt.detail}`, 'remote write failed, will retry', {
          detail: attempt.detail,
          delayMs,
        })
    },
  })
  const metrics = pushMetrics(registry, { pending: delivery.pending, lastSuccessMs: () => lastSuccessMs })

  const queue = (requests: readonly Pending[]) => {
    for (const request of requests) delivery.enqueue(request)
    backlog.trim(delivery)
  }
  // What an earlier run left goes first: its samples are older than any collected now.
  const restored = backlog
    .restore((request) => settled(request, 'dropped'))
    .then(queue, (error: unknown) =>
      logger.warn('remote write spool: cannot read it, the push keeps its requests in memory', {
        dir: settings.spoolDir,
        error: String(error),
      }),
    )
  const push = async (): Promise<void> => {
    try {
      const batches = await collect()
      await restored
      queue(await backlog.keep(batches))
    } catch (error) {
      logger.warn('remote write: collecting the metrics failed', { error: String(error) })
    }
  }
  let timer: ReturnType<typeof setInterval> | undefined

  const indicator: HealthIndicator = async () => {
    const silentSinceMs = lastSuccessMs ?? startedAt
    const status =
      Date.now() - silentSinceMs > SILENT_INTERVALS * settings.intervalSeconds * 1000 ? 'DOWN' : 'UP'
    return {
      status,
      details: {
        target: receiver.target,
        lastSuccess: lastSuccessMs === undefined ? null : new Date(lastSuccessMs).toISOString(),
        pendingBatches: delivery.pending(),
        ...(last !== undefined && last.outcome !== 'sent' && { lastFailure: last.detail ?? last.outcome }),
      },
    }
  }

  return {
    routes: new Hono(),
    transmitted: pushPreview({
      enabled: true,
      target: receiver.target,
      intervalSeconds: settings.intervalSeconds,
      last: () => last,
    }),
    indicator,
    ready: () => {
      timer ??= setInterval(() => void push(), settings.intervalSeconds * 1000)
    },
    drain: async (signal) => {
      const started = timer !== undefined
      clearInterval(timer)
      // The last figures go out too, within the push's own timeout and the shutdown's; a host that never became
      // ready (a script, a failed start) has nothing to report.
      const bounded = withTimeout(signal, settings.timeoutMs)
      if (started) await push()
      const droppedBefore = droppedSamples
      try {
        await delivery.flush(bounded.signal)
      } finally {
        bounded.clear()
      }
      await backlog.close().catch((error: unknown) =>
        logger.warn('remote write spool: cannot close it', {
          dir: settings.spoolDir,
          error: String(error),
        }),
      )
      warn.flush()
      if (droppedSamples > droppedBefore)
        logger.warn('remote write shutdown: samples dropped', { dropped: droppedSamples - droppedBefore })
      if (keptSamples > 0)
        logger.info('remote write shutdown: samples kept in the spool for the next start', {
          dir: settings.spoolDir,
          samples: keptSamples,
        })
      await http.close()
    },
  }
}
