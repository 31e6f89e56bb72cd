import * as v from 'valibot'
import { ConfigError, type ConfigProblem } from './config-error.ts'
import { problemsFromIssues, type SettingLabel, valueAtPath } from './problems.ts'
import { describeValue } from './redact.ts'
import { secretAt } from './secrets.ts'

/** Environment variables as the process sees them. */
export type Env = Readonly<Record<string, string | undefined>>

/**
 * Turns a variable's text into what the schema checks. Text that does not convert is passed on as it is, so the
 * schema rejects it and the message quotes what the user wrote.
 */
export type ReadValue = (text: string) => unknown

/** One environment variable: where its value goes, how it is read, and how the README documents it. */
export interface Variable {
  readonly name: string
  /** Other spellings of the same setting (`http_proxy` for `HTTP_PROXY`); set together, they must agree. */
  readonly aliases?: readonly string[]
  /** Where the value goes in what the schema checks, like `telemetry.health.timeoutMs`. */
  readonly path: string
  /** How the text is read; as text when left out. */
  readonly read?: ReadValue
  /**
   * The variable names a JSON file, read by the caller, and `select` picks the value from its content. A problem
   * inside the file is reported with its place (`METRICS_SQL_FILE at metrics.1.name`), `root` naming the top level.
   */
  readonly file?: { readonly root: string; readonly select: (content: unknown) => unknown }
  /** The README's default column: a value in backticks, or words. */
  readonly defaultText: string
  readonly meaning: string
}

const readText: ReadValue = (text) => text

export const readInteger: ReadValue = (text) => (/^-?\d+$/.test(text) ? Number(text) : text)

export const readBoolean: ReadValue = (text) => {
  const lower = text.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : text
}

/** Splits a comma-separated list, trimming and dropping empty items. */
export const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

export const readList: ReadValue = splitList

/**
 * Reads `variables` from `env` into one value, validates it with `schema` in one pass and throws a `ConfigError`
 * naming every bad variable. Empty variables count as unset. `files` holds the parsed content of file variables.
 * @example readVariables({ PORT: '9090' }, [PORT], v.object({ port: PortSchema }), { action: 'start' })
 */
export function readVariables<const Schema extends v.GenericSchema>(
  env: Env,
  variables: readonly Variable[],
  schema: Schema,
  { action, files = {} }: { readonly action: string; readonly files?: Readonly<Record<string, unknown>> },
): v.InferOutput<Schema> {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === '' ? undefined : value
  }
  const candidate: Record<string, unknown> = {}
  const disagreements: ConfigProblem[] = []
  for (const variable of variables) {
    const text = textOf(variable, get, disagreements)
    if (text === undefined) continue
    const value = variable.file
      ? variable.file.select(files[variable.name])
      : (variable.read ?? readText)(text)
    if (value !== undefined) setAtPath(candidate, variable.path, value)
  }
  const result = v.safeParse(schema, candidate)
  if (result.success && disagreements.length === 0) return result.output
  const labelOf = (
    path: string,
  ): SettingLabel & { readonly inside?: string; readonly variable?: Variable } => {
    const variable = variableAt(variables, path)
    if (variable === undefined) return { name: path }
    const inside = path.slice(variable.path.length + 1)
    if (variable.file && inside !== '')
      return { name: `${variable.name} at ${variable.file.root}.${inside}`, inside, variable }
    const secret = secretAt(variable.path)
    return { name: variable.name, ...(secret && { secret }), variable }
  }
  const rawValueOf = (path: string): unknown => {
    const { variable, inside } = labelOf(path)
    if (variable === undefined) return undefined
    return inside === undefined ? textOf(variable, get, []) : valueAtPath(files[variable.name], inside)
  }
  const problems = result.success ? [] : problemsFromIssues(result.issues, labelOf, rawValueOf)
  throw new ConfigError(action, [...disagreements, ...problems])
}

/** The variable's text under any of its spellings; spellings that disagree are a problem of their own. */
function textOf(
  variable: Variable,
  get: (name: string) => string | undefined,
  disagreements: ConfigProblem[],
): string | undefined {
  // Most variables have no other spelling and are unset: read at start, cold, that case allocates nothing.
  const text = get(variable.name)
  let first = text === undefined ? undefined : { name: variable.name, value: text }
  for (const alias of variable.aliases ?? []) {
    const value = get(alias)
    if (value === undefined) continue
    if (first === undefined) {
      first = { name: alias, value }
    } else if (value !== first.value) {
      const secret = secretAt(variable.path) ?? 'no'
      disagreements.push({
        name: first.name,
        expected: `the same as ${alias} when both are set (runtimes differ in which one they read)`,
        received: `${describeValue(first.value, secret)} and ${describeValue(value, secret)}`,
      })
      break
    }
  }
  return first?.value
}

/** The variable that sets `path` or a value containing it: a problem inside a value belongs to its variable. */
function variableAt(variables: readonly Variable[], path: string): Variable | undefined {
  let best: Variable | undefined
  for (const variable of variables) {
    const covers = path === variable.path || path.startsWith(`${variable.path}.`)
    if (covers && (best === undefined || variable.path.length > best.path.length)) best = variable
  }
  return best
}

function setAtPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  const last = keys.pop() as string
  let node = root
  for (const key of keys) {
    const next = node[key]
    if (typeof next === 'object' && next !== null) {
      node = next as Record<string, unknown>
    } else {
      const created: Record<string, unknown> = {}
      node[key] = created
      node = created
    }
  }
  node[last] = value
}
