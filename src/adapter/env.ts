import type { Env } from '../config/env.ts'

/** The process environment; `process.env` works on Node, Deno (with --allow-env) and Bun alike. */
export const readProcessEnv = (): Env => process.env
