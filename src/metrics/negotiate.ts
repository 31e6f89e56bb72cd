import type { ExpositionFormat } from './exposition.ts'

/** The q-value the Accept header gives a media type (exact match only, or the best wildcard). */
function quality(accept: string, type: string, wildcards: readonly string[]): number {
  let best = 0
  for (const part of accept.split(',')) {
    const [media = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase())
    const q = Number(parameters.find((parameter) => parameter.startsWith('q='))?.slice(2) ?? '1')
    if (media === type || wildcards.includes(media)) best = Math.max(best, Number.isNaN(q) ? 0 : q)
  }
  return best
}

/**
 * OpenMetrics only when the client names it and likes it at least as much as the 0.0.4 text format, as
 * Prometheus does (`application/openmetrics-text;version=1.0.0,...,text/plain;version=0.0.4;q=0.5`); browsers
 * and curl get 0.0.4.
 */
export function chooseFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus'
  const openMetrics = quality(accept, 'application/openmetrics-text', [])
  const text = quality(accept, 'text/plain', ['text/*', '*/*'])
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'prometheus'
}

/** Whether the client accepts a gzip body. */
export const acceptsGzip = (acceptEncoding: string | undefined): boolean =>
  quality(acceptEncoding ?? '', 'gzip', ['*']) > 0
