/**
 * An error a port raises, with its failure as a code callers can act on and a message in the module's own words
 * (never a driver's, which names hosts, users or URLs).
 * @example class DatabaseError extends FailureError<DatabaseFailure> { override readonly name = 'DatabaseError' }
 */
export abstract class FailureError<Failure extends string> extends Error {
  readonly failure: Failure

  constructor(failure: Failure, message: string) {
    super(message)
    this.failure = failure
  }
}
