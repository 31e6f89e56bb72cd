/** A receiver asking for a longer wait is taken to ask for this: the push's buffer would not outlast more. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTH = `(?<month>${MONTHS.join('|')})`
const TIME = '(?<hours>\\d{2}):(?<minutes>\\d{2}):(?<seconds>\\d{2})'
const DAY_NAME = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
// RFC 9110 §5.6.7: IMF-fixdate, and the two obsolete formats a recipient must still accept (rfc850, asctime).
const HTTP_DATES = [
  `^${DAY_NAME}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`,
  `^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`,
  `^${DAY_NAME} ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`,
].map((pattern) => new RegExp(pattern))

/** The time an HTTP-date names, or undefined when the text is none (Date.parse reads "garbage 1" as 2001). */
function httpDate(text: string, nowMs: number): number | undefined {
  const fields = HTTP_DATES.map((pattern) => pattern.exec(text)?.groups).find(
    (groups) => groups !== undefined,
  )
  if (fields === undefined) return undefined
  const [day, hours, minutes, seconds] = [fields.day, fields.hours, fields.minutes, fields.seconds].map(
    Number,
  )
  let year = Number(fields.year)
  if (fields.year?.length === 2) {
    // rfc850's two-digit year: one more than 50 years ahead is the latest past year with those digits (§5.6.7).
    const thisYear = new Date(nowMs).getUTCFullYear()
    year += thisYear - (thisYear % 100)
    if (year > thisYear + 50) year -= 100
  }
  const time = Date.UTC(year, MONTHS.indexOf(fields.month ?? ''), day, hours, minutes, seconds)
  // Date.UTC rolls 32 May over into June and 25:00 into the next day: such a date is none.
  const date = new Date(time)
  const exact = date.getUTCDate() === day && date.getUTCHours() === hours && date.getUTCMinutes() === minutes
  return exact && date.getUTCSeconds() === seconds ? time : undefined
}

/**
 * The wait a 429's `Retry-After` asks for, in milliseconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), at
 * most `MAX_RETRY_AFTER_MS`. Undefined when it asks for none (0, a time already past) or is neither, as Prometheus's
 * remote write client reads it: the sender's own backoff applies then.
 * @example retryAfterMs(response.headers.get('retry-after')) // 120_000 for "120"
 */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  const waitMs = /^\d+$/.test(text) ? Number(text) * 1000 : (httpDate(text, nowMs) ?? nowMs) - nowMs
  return waitMs > 0 ? Math.min(waitMs, MAX_RETRY_AFTER_MS) : undefined
}
