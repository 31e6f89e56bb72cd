/**
 * Goes on with `next` at once when `value` is already there, and once it has settled when it is a promise: a hot
 * path whose inputs are usually at hand (cached) then costs no turn through the microtask queue.
 * @example whenDone(cachedOrChecked, (health) => render(health))
 */
export function whenDone<T, U>(value: T | Promise<T>, next: (value: T) => U): U | Promise<Awaited<U>> {
  // A promise settles to what it is given, never to a promise, so `then` gives `Awaited<U>`.
  return value instanceof Promise ? (value.then(next) as Promise<Awaited<U>>) : next(value)
}
