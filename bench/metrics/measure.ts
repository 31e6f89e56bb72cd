// The metrics benchmark's two measures, run one after the other in this process.
import { type MiddlewareResult, type MiddlewareSettings, measureMiddleware } from './middleware.ts'
import { measureRender, type RenderResult, type RenderSettings } from './render.ts'

export interface MetricsSettings {
  readonly render: RenderSettings
  readonly middleware: MiddlewareSettings
}

export const FULL: MetricsSettings = {
  render: { warmups: 3, renders: 15 },
  middleware: { warmupRequests: 20_000, requests: 300_000, block: 2_000 },
}
export const QUICK: MetricsSettings = {
  render: { warmups: 1, renders: 3 },
  middleware: { warmupRequests: 10_000, requests: 40_000, block: 2_000 },
}

export interface MetricsResult {
  readonly render: RenderResult
  readonly middleware: MiddlewareResult
}

/** @example const result = await measureMetrics(QUICK) */
export async function measureMetrics(settings: MetricsSettings): Promise<MetricsResult> {
  return {
    render: await measureRender(settings.render),
    middleware: await measureMiddleware(settings.middleware),
  }
}
