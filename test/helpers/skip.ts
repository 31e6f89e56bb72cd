/**
 * Skips tests that need a tool this machine lacks, loudly; under CI (`.ci/run` sets CI=true) the tool must be
 * there, so its absence is a failure instead. Returns the reason, for `describe(..., { skip })`.
 */
export function skipForMissingTool(reason: string): string {
  if (process.env.CI) throw new Error(`${reason}; CI requires these tests to run`)
  console.warn(`\n*** ${reason} ***\n`)
  return reason
}
