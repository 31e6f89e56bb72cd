import * as v from 'valibot'
import { integerBetween, NonEmptyTextSchema, objectMessage } from '../config/fields.ts'
import { HttpUrlWithCredentialsSchema } from '../config/url-fields.ts'

const INSTALLATION = 'an identifier of 1-63 letters, digits, ".", "_" or "-", like "acme-prod"'
const INSTANCE = 'a name of 1-128 characters without spaces, like "meshpanel-0:8080"'
const BEARER = 'a token without spaces'

/** Pushing metrics to the central system with Prometheus remote write; off unless a URL is set. */
export interface RemoteWriteOptions {
  /** The receiver, e.g. `https://metrics.example.com/api/v1/write`; a user and password there are basic auth. */
  url?: string | undefined
  /** Sent as `Authorization: Bearer <token>`; not together with credentials in the URL. */
  token?: string | undefined
  /** The installation the series come from: the `installation` label on every series. Required when pushing. */
  installationId?: string | undefined
  /** This process among the installation's replicas: the `instance` label. */
  instance?: string | undefined
  /** How often to push (1-3600 s, default 30). */
  intervalSeconds?: number | undefined
  /** Longest one request may take, connecting included (default 10000 ms). */
  timeoutMs?: number | undefined
  /**
   * Requests kept in memory while the receiver cannot take them; beyond, the oldest is dropped and counted (default
   * 20). With `spoolDir`, the spool's bounds apply instead.
   */
  bufferBatches?: number | undefined
  /** Samples per request; a larger collection is split (default 2000). */
  maxSamplesPerRequest?: number | undefined
  /**
   * A folder where every unsent request is kept on disk, so a restarted process sends what the last one could not;
   * unset: the memory buffer (`bufferBatches`). Not on edge runtimes, which have no file system.
   */
  spoolDir?: string | undefined
  /** Most bytes of unsent requests the spool keeps; beyond, the oldest is dropped and counted (default 64 MiB). */
  spoolMaxBytes?: number | undefined
  /** Oldest samples the spool keeps, in seconds; older requests are dropped and counted (default 7200). */
  spoolMaxAgeSeconds?: number | undefined
}

export const RemoteWriteSchema = v.strictObject(
  {
    /** The receiver, e.g. `https://metrics.example.com/api/v1/write`; a user and password there are basic auth. */
    url: v.optional(HttpUrlWithCredentialsSchema),
    /** Sent as `Authorization: Bearer <token>`; not together with credentials in the URL. */
    token: v.optional(v.pipe(v.string(BEARER), v.regex(/^\S+$/, BEARER))),
    /** The installation the series come from: the `installation` label on every series. Required when pushing. */
    installationId: v.optional(
      v.pipe(v.string(INSTALLATION), v.regex(/^[A-Za-z0-9][\w.-]{0,62}$/, INSTALLATION)),
    ),
    /** This process among the installation's replicas: the `instance` label. Unset: a name made at start. */
    instance: v.optional(v.pipe(v.string(INSTANCE), v.regex(/^\S{1,128}$/, INSTANCE))),
    intervalSeconds: v.optional(integerBetween(1, 3600, 'seconds'), 30),
    /** Longest one request may take, connecting included. */
    timeoutMs: v.optional(integerBetween(100, 60_000, 'milliseconds'), 10_000),
    /** Requests kept while the receiver cannot take them; beyond, the oldest is dropped and counted. */
    bufferBatches: v.optional(integerBetween(1, 10_000, 'requests'), 20),
    /** Samples per request; a larger collection is split. */
    maxSamplesPerRequest: v.optional(integerBetween(100, 100_000, 'samples'), 2000),
    /** A folder for the spool of unsent requests; unset: the memory buffer. */
    spoolDir: v.optional(NonEmptyTextSchema('a folder path')),
    /** Most bytes of unsent requests in the spool: from 1 MiB (a segment) to 16 GiB. */
    spoolMaxBytes: v.optional(integerBetween(1024 * 1024, 16 * 1024 ** 3, 'bytes'), 64 * 1024 * 1024),
    /**
     * Oldest samples the spool keeps. Two hours by default, as the Prometheus agent's WAL: receivers refuse older
     * samples unless they accept out-of-order ones.
     */
    spoolMaxAgeSeconds: v.optional(integerBetween(60, 7 * 24 * 3600, 'seconds'), 7200),
  },
  objectMessage,
)

type ParsedRemoteWrite = v.InferOutput<typeof RemoteWriteSchema>

/** The push's settings when on: every setting known. */
export type EnabledRemoteWriteSettings = Omit<ParsedRemoteWrite, 'url' | 'installationId'> & {
  readonly url: string
  readonly installationId: string
}

/** Off, or on with every setting known (validation makes sure the installation is named when a URL is set). */
export function completeRemoteWrite({
  url,
  installationId,
  ...rest
}: ParsedRemoteWrite): EnabledRemoteWriteSettings | undefined {
  return url !== undefined && installationId !== undefined ? { url, installationId, ...rest } : undefined
}
