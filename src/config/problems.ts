import * as v from 'valibot'
import type { ConfigProblem } from './config-error.ts'
import { describeValue } from './redact.ts'

/** How a setting is named in messages, where its value came from, and whether that value may be shown. */
export interface SettingLabel {
  readonly name: string
  readonly secret?: 'whole' | 'url-password'
}

/**
 * Turns valibot issues into one problem per setting (the first issue wins). Values are reported as the user
 * wrote them (`rawValueOf`), so `PORT=abc` reads "abc" rather than whatever it became on the way.
 */
export function problemsFromIssues(
  issues: readonly v.BaseIssue<unknown>[],
  labelOf: (path: string) => SettingLabel,
  rawValueOf: (path: string) => unknown,
): ConfigProblem[] {
  const byName = new Map<string, ConfigProblem>()
  for (const issue of issues) {
    const path = v.getDotPath(issue) ?? ''
    const label = labelOf(path)
    if (byName.has(label.name)) continue
    byName.set(label.name, {
      name: label.name,
      expected: issue.message,
      received: describeValue(rawValueOf(path), label.secret ?? 'no'),
    })
  }
  return [...byName.values()]
}

/** Reads `a.b.0` out of a plain value, or undefined. */
export function valueAtPath(root: unknown, path: string): unknown {
  if (path === '') return root
  let value: unknown = root
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}
