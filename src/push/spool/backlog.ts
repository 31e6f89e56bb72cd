import { ConfigError } from '../../config/config-error.ts'
import type { Logger } from '../../logging/logger.ts'
import type { RateLimitedLog } from '../../logging/rate-limited.ts'
import type { Registry } from '../../metrics/registry.ts'
import type { OpenDurableFolder } from '../../runtime/files.ts'
import { type Backlog, memoryBacklog, type Pending, pendingOf } from '../backlog.ts'
import type { EnabledRemoteWriteSettings } from '../options.ts'
import type { TimeSeries } from '../time-series.ts'
import { spoolMetrics } from './metrics.ts'
import type { SpooledRecord } from './record.ts'
import { createSpool } from './spool.ts'

export interface SpoolSettings {
  readonly dir: string
  readonly maxBytes: number
  readonly maxAgeSeconds: number
}

const isSpooled = (request: Pending): request is SpooledRecord => 'seq' in request

/**
 * The backlog on disk: every request is in the spool before it is queued, released once settled, and what a run
 * leaves unsent (killed, or at shutdown) is sent first by the next. Bounded by bytes and by the age of its samples;
 * what the bounds drop is counted by reason and logged. Only the last collection's series stay in memory, for the
 * preview: a long outage holds the compressed bodies alone.
 * @example const backlog = spoolBacklog({ dir: '/var/spool/telemetry', maxBytes: 64 << 20, maxAgeSeconds: 7200 }, open, registry, logger, warn)
 */
export function spoolBacklog(
  settings: SpoolSettings,
  open: OpenDurableFolder,
  registry: Registry,
  logger: Logger,
  warn: RateLimitedLog,
): Backlog {
  const spool = createSpool(open, settings.dir, ({ file, reason, detail }) => {
    metrics.skipped(reason)
    logger.warn('remote write spool: file skipped', { dir: settings.dir, file, reason, detail })
  })
  const metrics = spoolMetrics(registry, spool.bytes)
  let latest = new Map<Pending, readonly TimeSeries[]>()
  /** Requests the spool could not write, held in memory under the same bounds. */
  let memoryBytes = 0
  const tooOld = (request: Pending) => Date.now() - request.timestampMs > settings.maxAgeSeconds * 1000
  const overBound = (oldest: Pending): 'age' | 'size' | undefined =>
    tooOld(oldest) ? 'age' : spool.bytes() + memoryBytes > settings.maxBytes ? 'size' : undefined
  const drop = (request: Pending, reason: 'age' | 'size') => {
    metrics.dropped(reason)
    warn.write(`spool ${reason}`, 'remote write spool full, oldest batch dropped', {
      reason,
      samples: request.samples,
    })
  }

  return {
    capacity: Number.MAX_SAFE_INTEGER,
    durable: true,
    async restore(dropped) {
      const records = await spool.recover()
      // The newest are kept: going back in time, the bound is reached by the oldest.
      let bytes = 0
      const kept: Pending[] = []
      for (const record of records.reverse()) {
        const reason = tooOld(record) ? 'age' : bytes + record.bytes > settings.maxBytes ? 'size' : undefined
        if (reason === undefined) {
          bytes += record.bytes
          kept.unshift(record)
        } else {
          drop(record, reason)
          dropped(record)
        }
      }
      return kept
    },
    async keep(batches) {
      latest = new Map()
      const requests: Pending[] = []
      for (const batch of batches) {
        const request = await spool.append(pendingOf(batch)).catch((error: unknown) => {
          // A full or read-only disk must not stop the push: this request goes on in memory only.
          warn.write('spool write', 'remote write spool: cannot write, the request is kept in memory only', {
            dir: settings.dir,
            error: String(error),
          })
          memoryBytes += batch.body.length
          return pendingOf(batch)
        })
        latest.set(request, batch.series)
        requests.push(request)
      }
      return requests
    },
    trim(delivery) {
      delivery.dropWhile((oldest) => {
        const reason = overBound(oldest)
        if (reason !== undefined) drop(oldest, reason)
        return reason !== undefined
      })
    },
    seriesOf: (request) => latest.get(request),
    release(request) {
      if (!isSpooled(request)) {
        memoryBytes -= request.body.length
        return
      }
      spool.release(request).catch((error: unknown) =>
        warn.write('spool release', 'remote write spool: cannot mark a request settled', {
          dir: settings.dir,
          error: String(error),
        }),
      )
    },
    close: () => spool.close(),
  }
}

/**
 * The backlog the settings ask for: the spool in `spoolDir`, on the file system `open` reaches, or the memory buffer.
 * @example const backlog = backlogFor(settings, nodeOpenDurableFolder, registry, logger, warn)
 */
export function backlogFor(
  settings: EnabledRemoteWriteSettings,
  open: OpenDurableFolder | undefined,
  registry: Registry,
  logger: Logger,
  warn: RateLimitedLog,
): Backlog {
  if (settings.spoolDir === undefined) {
    // Declared all the same: the catalogue lists what a spool would report.
    spoolMetrics(registry)
    return memoryBacklog(settings.bufferBatches)
  }
  if (open === undefined)
    throw new ConfigError('create the telemetry app', [
      {
        name: 'remoteWrite.spoolDir',
        expected: 'unset on this runtime, which has no file system to keep a spool on',
        received: 'set',
      },
    ])
  const spool = {
    dir: settings.spoolDir,
    maxBytes: settings.spoolMaxBytes,
    maxAgeSeconds: settings.spoolMaxAgeSeconds,
  }
  return spoolBacklog(spool, open, registry, logger, warn)
}
