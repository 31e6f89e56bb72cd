// Spring Boot labels a request that threw with the exception's simple class name (`exception` and `error`, see
// spring-web's DefaultServerRequestObservationConvention.exception() and Micrometer's
// DefaultMeterObservationHandler), and `none` otherwise. A Java class name comes from compiled code, so that set is
// closed; a JavaScript constructor name can be anything a library or a dependency's dependency makes up at run
// time, and it would tell the central system about code it has no business knowing. So only these classes are
// named: the language's own errors, what the web platform and Hono throw, and what this module's ports throw.
const KNOWN_CLASSES = new Set([
  'Error',
  'AggregateError',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'DOMException',
  'HTTPException',
  'DatabaseError',
  'OutboundHttpError',
])

/** Stands for every error class outside the list, so the label stays bounded. */
const OTHER = 'OTHER'
const NONE = 'none'

/**
 * The `exception` (and `error`) label of a request: `none`, the class of the error a handler threw when it is one
 * of the known classes, or `OTHER`.
 * @example exceptionLabel(new TypeError('x')) // 'TypeError'
 */
export function exceptionLabel(error: Error | undefined): string {
  if (error === undefined) return NONE
  const name = error.constructor?.name
  return name !== undefined && KNOWN_CLASSES.has(name) ? name : OTHER
}
