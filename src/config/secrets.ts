import type { SettingLabel } from './problems.ts'

/**
 * Every setting whose value is never printed, by its path: in the programmatic options (`database.url`), or among
 * the standalone server's own settings (`proxy.httpProxy`). Options and environment variables both look secrets up
 * here, so a setting added to one is hidden in the other's messages too. `url-password` hides the password of a URL
 * and keeps the rest, which says where the setting points.
 */
const SECRET_SETTINGS: Readonly<Record<string, NonNullable<SettingLabel['secret']>>> = {
  managementToken: 'whole',
  'metrics.pseudonymKey': 'whole',
  'database.url': 'url-password',
  'plausible.url': 'url-password',
  'remoteWrite.url': 'url-password',
  'remoteWrite.token': 'whole',
  'proxy.httpProxy': 'url-password',
  'proxy.httpsProxy': 'url-password',
  'proxy.allProxy': 'url-password',
}

// The standalone server validates the module's options under `telemetry`, beside its own settings.
const TELEMETRY = 'telemetry.'

/**
 * How a setting's value is hidden in messages, if it is a secret.
 * @example secretAt('telemetry.database.url') // 'url-password'
 */
export function secretAt(path: string): SettingLabel['secret'] {
  return SECRET_SETTINGS[path.startsWith(TELEMETRY) ? path.slice(TELEMETRY.length) : path]
}
