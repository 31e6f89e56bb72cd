export { createTelemetryApp } from './app.ts'
export { ConfigError, type ConfigProblem } from './config/config-error.ts'
export { type Env, readStandaloneConfig, type ServerSettings, type StandaloneConfig } from './config/env.ts'
export type { LogLevel, TrustProxy } from './config/fields.ts'
export {
  type LogSink,
  type PlausibleSettings,
  type ResolvedOptions,
  resolveOptions,
  type TelemetryOptions,
} from './options.ts'
export {
  type BuildInfo,
  discoverBuildInfo,
  type PartialBuildInfo,
  type ReadTextFile,
} from './version/build-info.ts'
