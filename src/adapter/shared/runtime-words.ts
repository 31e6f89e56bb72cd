/** Longest stretch of a runtime's message a log line carries: enough for a sentence, not for a dump. */
const MAX_LENGTH = 160

// What a runtime's message may name of the request: its URL (with credentials), the host, its address and port.
const URL = /[a-z][a-z\d+.-]*:\/\/\S*/gi
const IPV6 = /\[?\b[\da-f]{0,4}(?::[\da-f]{0,4}){2,7}\]?(?::\d+)?/gi
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g
const HOST = /\b[a-z\d-]+(?:\.[a-z\d-]+)+(?::\d+)?\b/gi

/**
 * A runtime error's own message with every URL, host name and address in it replaced, for a log line that must say
 * what the runtime said (workerd's `Network connection lost.`) without naming where the request went.
 * @example runtimeWords(new TypeError('fetch to https://u:p@host/x failed')) // 'TypeError: fetch to <url> failed'
 */
export function runtimeWords(error: Error): string {
  const message = error.message
    .replace(URL, '<url>')
    .replace(IPV6, '<address>')
    .replace(IPV4, '<address>')
    .replace(HOST, '<host>')
    .replace(/\s+/g, ' ')
    .trim()
  const words = `${error.name}: ${message}`
  return words.length > MAX_LENGTH ? `${words.slice(0, MAX_LENGTH - 1)}…` : words
}
