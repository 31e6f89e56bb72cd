/** What happens to customer-data labels before metrics leave the installation. */
export type CustomerLabelPolicy = 'keep' | 'pseudonymize' | 'drop'

/** Keyed pseudonyms: 16 hex characters (64 bits) of HMAC-SHA-256 over the value. */
export const PSEUDONYM_LENGTH = 16
const CACHE_LIMIT = 10_000

export interface LabelPolicy {
  readonly mode: CustomerLabelPolicy
  /** The value to export for a customer label; `undefined` means the label is dropped. */
  exportValue(value: string): Promise<string | undefined>
}

/**
 * Applies METRICS_CUSTOMER_LABELS. Pseudonyms use a per-installation secret, so they are stable across restarts
 * and cannot be reversed by hashing a list of likely identifiers, which unsalted hashing would allow.
 * @example await createLabelPolicy('pseudonymize', key).exportValue('workspace-4711') // 'a3f0c1...'
 */
export function createLabelPolicy(mode: CustomerLabelPolicy, secret: string | undefined): LabelPolicy {
  if (mode === 'keep') return { mode, exportValue: async (value) => value }
  if (mode === 'drop') return { mode, exportValue: async () => undefined }
  if (secret === undefined) throw new Error('pseudonymizing customer labels needs a secret key')
  const key = crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const known = new Map<string, string>()
  return {
    mode,
    exportValue: async (value) => {
      const cached = known.get(value)
      if (cached !== undefined) return cached
      const signature = new Uint8Array(
        await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(value)),
      )
      const pseudonym = [...signature.subarray(0, PSEUDONYM_LENGTH / 2)]
        .map((byte) => byte.toString(16).padStart(2, '0'))
        .join('')
      if (known.size >= CACHE_LIMIT) known.clear()
      known.set(value, pseudonym)
      return pseudonym
    },
  }
}
