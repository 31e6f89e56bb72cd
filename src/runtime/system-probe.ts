// What the core reads of the machine it runs on. Node, Deno and Bun provide it (src/adapter/shared/system-probe.ts); an
// edge runtime has no filesystem or process figures, and the metrics and checks that need them are left out.

/** Space on the filesystem holding `path`. */
export interface DiskSpace {
  /** The absolute path that was measured. */
  readonly path: string
  readonly exists: boolean
  readonly totalBytes: number
  /** Space available to this process (not root's reserve). */
  readonly freeBytes: number
}

/** Process figures; a field is undefined where the runtime cannot measure it (never a fake zero). */
export interface ProcessStats {
  readonly cpuSeconds: number | undefined
  /** Share of the available processors' time this process used since the previous reading, 0 to 1. */
  readonly cpuUsage: number | undefined
  readonly residentBytes: number | undefined
  readonly heapUsedBytes: number | undefined
  readonly heapTotalBytes: number | undefined
  readonly uptimeSeconds: number | undefined
  readonly startTimeSeconds: number | undefined
  /** Worst timer drift since the last reading: how long the event loop was blocked. */
  readonly eventLoopLagSeconds: number | undefined
}

/** Host figures, with the same rule. */
export interface HostStats {
  /** Processors available to this process (its affinity), as the JVM's availableProcessors() counts them. */
  readonly cpuCount: number | undefined
  /** Share of CPU time not idle since the previous reading, 0 to 1. */
  readonly cpuUsage: number | undefined
  readonly loadAverage: readonly [number, number, number] | undefined
  readonly memoryTotalBytes: number | undefined
  readonly memoryFreeBytes: number | undefined
}

export interface SystemProbe {
  diskSpace(path: string): Promise<DiskSpace>
  processStats(): Promise<ProcessStats>
  hostStats(): Promise<HostStats>
}
