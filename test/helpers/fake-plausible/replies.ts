// How the fake answers: Plausible's own answers to an event, and the failures a relay must survive.
import type { IncomingMessage, ServerResponse } from 'node:http'

export type Reply =
  | 'accept' // 202 text/plain "ok"
  | 'drop' // 202 "ok" + x-plausible-dropped: 1
  | 'bad-request' // 400 application/json {"errors":{"url":["is required"]}}
  | 'server-error' // 500
  | 'unavailable' // 503
  | 'too-many' // 429
  | 'reset' // destroy the socket without answering
  | { readonly delayMs: number; readonly then?: Reply } // answer late (default then: 'accept')

type Answer = { readonly status: number; readonly headers: Record<string, string>; readonly body: string }

export const TEXT = { 'content-type': 'text/plain; charset=utf-8' }

// Status, headers and bodies as Plausible's ExternalController sends them (§2.4); Plausible itself never sends
// 429, but a proxy or CDN in front of it may, and the relay must cope.
const ANSWERS: Readonly<Record<Exclude<Reply, object | 'reset'>, Answer>> = {
  accept: { status: 202, headers: TEXT, body: 'ok' },
  drop: { status: 202, headers: { ...TEXT, 'x-plausible-dropped': '1' }, body: 'ok' },
  'bad-request': {
    status: 400,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: '{"errors":{"url":["is required"]}}',
  },
  'server-error': { status: 500, headers: TEXT, body: 'Internal Server Error' },
  unavailable: { status: 503, headers: TEXT, body: 'Service Unavailable' },
  'too-many': { status: 429, headers: TEXT, body: 'Too Many Requests' },
}

/**
 * Answers one request as `chosen` says; a delayed answer waits on a timer that `delayed` holds, so stopping the
 * server can cancel it.
 */
export function answer(
  req: IncomingMessage,
  res: ServerResponse,
  chosen: Reply,
  delayed: Set<NodeJS.Timeout>,
): void {
  if (typeof chosen === 'object') {
    const timer = setTimeout(() => {
      delayed.delete(timer)
      answer(req, res, chosen.then ?? 'accept', delayed)
    }, chosen.delayMs)
    delayed.add(timer)
  } else if (req.socket.destroyed) {
    // The client gave up while the answer was delayed: nobody is left to answer.
  } else if (chosen === 'reset') {
    req.socket.destroy()
  } else {
    const { status, headers, body } = ANSWERS[chosen]
    res.writeHead(status, headers).end(body)
  }
}

/** Plausible's 400 for a body its ingestion refuses: the changeset's errors by field. */
export function refuse(res: ServerResponse, errors: Readonly<Record<string, readonly string[]>>): void {
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors }))
}
