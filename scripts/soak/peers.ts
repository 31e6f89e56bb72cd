// What the servers under soak talk to, all on loopback and all in reach of the fault schedule: a throwaway MariaDB,
// the strict fake Plausible and the strict fake remote-write receiver (cheaper than a real Prometheus, and it can be
// stopped and started again on the same port in a millisecond).
import { SITE } from '../../bench/relay/event.ts'
import { type FakePlausible, startFakePlausible } from '../../test/helpers/fake-plausible/server.ts'
import {
  mariadbUnavailable,
  startThrowawayMariaDb,
  type ThrowawayMariaDb,
} from '../../test/helpers/mariadb.ts'
import { type FakeReceiver, startFakeReceiver } from '../../test/helpers/remote-write-receiver.ts'

export interface Peers {
  readonly db: ThrowawayMariaDb
  readonly plausible: FakePlausible
  readonly receiver: FakeReceiver
  /** Stops every peer still running; safe to call twice. */
  close(): Promise<void>
}

/** Starts the three peers; what started is stopped again when one of them cannot start. */
export async function startPeers(): Promise<Peers> {
  const missing = mariadbUnavailable()
  if (missing !== undefined) throw new Error(`Cannot start the soak: ${missing}`)
  const started: (() => Promise<void>)[] = []
  const closeStarted = () => Promise.allSettled(started.map((close) => close())).then(() => undefined)
  try {
    const db = await startThrowawayMariaDb()
    started.push(() => db.dispose())
    const plausible = await startFakePlausible({ domain: SITE })
    started.push(() => plausible.stop())
    const receiver = await startFakeReceiver()
    started.push(() => receiver.stop())
    return { db, plausible, receiver, close: closeStarted }
  } catch (error) {
    await closeStarted()
    throw error
  }
}
