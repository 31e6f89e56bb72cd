import type { SystemProbe } from '../../runtime/system-probe.ts'
import { gauge, type MetricDefinition } from '../definition.ts'
import type { Collector, Emit } from '../series.ts'

// Named as Micrometer's binders name the same figures, so dashboards made for Spring services show them:
// ProcessorMetrics (system_cpu_count, system_cpu_usage, system_load_average_1m, process_cpu_usage), UptimeMetrics
// (process_uptime_seconds, process_start_time_seconds), MemoryMetrics (system_memory_*), DiskSpaceMetrics
// (disk_free_bytes, disk_total_bytes with `path`). Where Micrometer has no name, the Prometheus client libraries'
// (process_cpu_seconds_total, process_resident_memory_bytes), else our own.
const SYSTEM_METRICS = {
  cpu: {
    name: 'process_cpu_seconds_total',
    type: 'counter',
    unit: 'seconds',
    help: 'Total user and system CPU time spent in seconds.',
  },
  cpuUsage: gauge(
    'process_cpu_usage',
    'Share of the available processors this process used since the previous scrape, at the first since it started (0-1).',
  ),
  resident: gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', 'bytes'),
  heapUsed: gauge('process_heap_used_bytes', 'JavaScript heap in use, in bytes.', 'bytes'),
  heapTotal: gauge('process_heap_total_bytes', 'JavaScript heap reserved, in bytes.', 'bytes'),
  start: gauge(
    'process_start_time_seconds',
    'Start time of the process since unix epoch in seconds.',
    'seconds',
  ),
  uptime: gauge('process_uptime_seconds', 'How long the process has been running, in seconds.', 'seconds'),
  lag: gauge(
    'process_event_loop_lag_seconds',
    'Worst event loop delay since the previous scrape (timer drift).',
    'seconds',
  ),
  cpuCount: gauge('system_cpu_count', 'The number of processors this process may use.'),
  systemCpuUsage: gauge(
    'system_cpu_usage',
    'Share of CPU time the whole host was busy since the previous scrape, at the first since it booted (0-1).',
  ),
  load1: gauge('system_load_average_1m', 'Host load average over 1 minute.'),
  load5: gauge('system_load_average_5m', 'Host load average over 5 minutes.'),
  load15: gauge('system_load_average_15m', 'Host load average over 15 minutes.'),
  memoryTotal: gauge('system_memory_total_bytes', 'Host memory, in bytes.', 'bytes'),
  memoryFree: gauge('system_memory_free_bytes', 'Host memory free, in bytes.', 'bytes'),
  diskTotal: {
    ...gauge('disk_total_bytes', 'Size of the filesystem holding the data path, in bytes.', 'bytes'),
    labels: { path: 'operational' },
  },
  diskFree: {
    ...gauge('disk_free_bytes', 'Space available to this process on that filesystem, in bytes.', 'bytes'),
    labels: { path: 'operational' },
  },
  diskUsed: {
    ...gauge('disk_used_bytes', 'Space in use on that filesystem, in bytes.', 'bytes'),
    labels: { path: 'operational' },
  },
} as const satisfies Record<string, MetricDefinition>

/** Emits a reading only when the runtime produced one: an absent metric, never a fake zero. */
const emitIfKnown = (emit: Emit, definition: MetricDefinition<never>, value: number | undefined): void => {
  if (value !== undefined && Number.isFinite(value)) emit(definition, value)
}

/**
 * CPU, memory, load, disk and event-loop lag of this process and its host, read at scrape time.
 * @example registry.collector(systemCollector(probe, '/var/lib/meshstack'))
 */
export function systemCollector(probe: SystemProbe, diskPath: string): Collector {
  const m = SYSTEM_METRICS
  return {
    name: 'system',
    definitions: Object.values(m),
    async collect(emit) {
      const own = await probe.processStats()
      emitIfKnown(emit, m.cpu, own.cpuSeconds)
      emitIfKnown(emit, m.cpuUsage, own.cpuUsage)
      emitIfKnown(emit, m.resident, own.residentBytes)
      emitIfKnown(emit, m.heapUsed, own.heapUsedBytes)
      emitIfKnown(emit, m.heapTotal, own.heapTotalBytes)
      emitIfKnown(emit, m.start, own.startTimeSeconds)
      emitIfKnown(emit, m.uptime, own.uptimeSeconds)
      emitIfKnown(emit, m.lag, own.eventLoopLagSeconds)
      const host = await probe.hostStats()
      emitIfKnown(emit, m.cpuCount, host.cpuCount)
      emitIfKnown(emit, m.systemCpuUsage, host.cpuUsage)
      emitIfKnown(emit, m.load1, host.loadAverage?.[0])
      emitIfKnown(emit, m.load5, host.loadAverage?.[1])
      emitIfKnown(emit, m.load15, host.loadAverage?.[2])
      emitIfKnown(emit, m.memoryTotal, host.memoryTotalBytes)
      emitIfKnown(emit, m.memoryFree, host.memoryFreeBytes)
      const disk = await probe.diskSpace(diskPath)
      if (!disk.exists) return
      const byPath = { path: disk.path }
      emit(m.diskTotal, byPath, disk.totalBytes)
      emit(m.diskFree, byPath, disk.freeBytes)
      emit(m.diskUsed, byPath, disk.totalBytes - disk.freeBytes)
    },
  }
}
