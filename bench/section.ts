// What every benchmark hands the bench command: its figures as Markdown, and its goals with whether they are met.

/** A target a benchmark's figure has, from an issue, and this run's verdict. */
export interface Goal {
  /** What is measured, e.g. "`/version` on node, req/s vs bare Hono". */
  readonly measure: string
  /** The target, e.g. "≥ 0.9x". */
  readonly goal: string
  readonly value: string
  readonly met: boolean
}

/** Which benchmark a section is: its title, and the command that runs it alone. */
export interface Heading {
  readonly title: string
  readonly command: string
}

/** One benchmark's part of bench/RESULTS.md. */
export interface Section extends Heading {
  /** Fixed prose: what is measured, against which reference. */
  readonly description: string
  /** The tables of this run. */
  readonly body: string
  readonly goals: readonly Goal[]
}

/** "met" or "NOT met", as the tables print a verdict. */
export const verdict = (met: boolean): string => (met ? 'met' : 'NOT met')

/** `1 round`, `3 rounds`. */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`
