/** A server the load is sent to: a proxy, or the upstream itself. */
export interface Target {
  readonly name: string
  readonly url: string
  /** For relays: the Prometheus exposition, to follow the queue and the forwarded events. */
  readonly metricsUrl?: string
  /** For relays: the documented command that started it. */
  readonly command?: string
  /** The process that does the proxying (for nginx its master, whose worker is counted with it). */
  readonly pid: number
}
