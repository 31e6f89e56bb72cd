import type { SystemProbe } from '../../runtime/system-probe.ts'
import type { HealthIndicator } from '../health.ts'

/**
 * DOWN when less than `thresholdBytes` is free at `path`, with Spring Boot's details in Spring's order.
 * @example diskSpaceIndicator(probe, '.', 10 * 1024 * 1024)
 */
export function diskSpaceIndicator(
  probe: SystemProbe,
  path: string,
  thresholdBytes: number,
): HealthIndicator {
  return async () => {
    const disk = await probe.diskSpace(path)
    return {
      status: disk.exists && disk.freeBytes >= thresholdBytes ? 'UP' : 'DOWN',
      details: {
        total: disk.totalBytes,
        free: disk.freeBytes,
        threshold: thresholdBytes,
        path: disk.path,
        exists: disk.exists,
      },
    }
  }
}
