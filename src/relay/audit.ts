import { type HttpClient, OutboundHttpError, type OutboundRequest } from '../runtime/http-client.ts'

/** One request the relay sent to Plausible, as it was sent, and what came of it. */
export interface AuditedSend {
  readonly sentAt: string
  /** Plausible's answer; absent when none came. */
  readonly status?: number
  /** Why no answer came (`refused`, `aborted`, `failed`). */
  readonly failure?: string
  readonly headers: Readonly<Record<string, string>>
  /** The body, which is the event. */
  readonly event: unknown
}

export interface RelayAudit {
  /** `http`, recording every request it sends. */
  readonly http: HttpClient
  /** The last requests sent, newest first. */
  readonly recent: () => readonly AuditedSend[]
}

// The visitor's address goes to Plausible in these (client.ts); the audit, open to anyone when no management token
// is set, must not become a list of visitors.
const ADDRESS_HEADERS = new Set(['x-plausible-ip', 'x-forwarded-for'])
const ADDRESS_SHOWN = '[the visitor’s address]'

/**
 * Keeps the last `size` requests `http` sends, exactly as sent but for the visitor's address, for
 * `/actuator/telemetry`: what is recorded is what went out, whatever the code before it did.
 * @example const audit = auditedHttpClient(http, 20); createForwarding(settings, audit.http, metrics, logger)
 */
export function auditedHttpClient(http: HttpClient, size: number): RelayAudit {
  const kept: { readonly request: OutboundRequest; readonly sentAt: Date; readonly answer: Answer }[] = []
  const record = (request: OutboundRequest, sentAt: Date, answer: Answer) => {
    kept.push({ request, sentAt, answer })
    if (kept.length > size) kept.shift()
  }
  return {
    http:
      size === 0
        ? http
        : {
            async send(request) {
              const sentAt = new Date()
              try {
                const response = await http.send(request)
                record(request, sentAt, { status: response.status })
                return response
              } catch (error) {
                record(request, sentAt, {
                  failure: error instanceof OutboundHttpError ? error.failure : 'failed',
                })
                throw error
              }
            },
            close: () => http.close(),
          },
    // Shown as read, so a send costs no more than keeping a reference.
    recent: () =>
      kept.toReversed().map(({ request, sentAt, answer }) => ({
        sentAt: sentAt.toISOString(),
        ...answer,
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            ADDRESS_HEADERS.has(name) ? ADDRESS_SHOWN : value,
          ]),
        ),
        event: typeof request.body === 'string' ? JSON.parse(request.body) : null,
      })),
  }
}

type Answer = { readonly status: number } | { readonly failure: string }
