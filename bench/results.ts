// bench/RESULTS.md as the bench command writes it: header, goals, then one section per benchmark.
import { type Section, verdict } from './section.ts'

export interface Results {
  /** environmentLine(): date, machine, versions. */
  readonly environment: string
  /** paceSentence(): how fast the machine ran at the start and the end. */
  readonly pace: string
  readonly quick: boolean
  /** Wall time of the whole command. */
  readonly seconds: number
  readonly sections: readonly Section[]
}

/**
 * The whole file.
 * @example await writeFile('bench/RESULTS.md', resultsMarkdown({ environment, pace, quick, seconds, sections }))
 */
export function resultsMarkdown({ environment, pace, quick, seconds, sections }: Results): string {
  const goals = sections.flatMap((section) => section.goals.map((goal) => ({ section, goal })))
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench${quick ? ' -- --quick' : ''}\`; run it again rather than editing this file. Earlier runs, and`,
    'what was learnt from them, are in `HISTORY.md`. Every ratio is taken within this run, against a reference',
    "measured in the same run on the same machine; figures vary with the machine's load (2 cores here, shared).",
    '',
    `Run: ${quick ? '`--quick` (shorter runs, fewer rounds: rough figures)' : 'full'}, ${seconds.toFixed(0)} s in all.`,
    '',
    `Date, machine, versions: ${environment}`,
    '',
    `The machine's pace: ${pace}. On a slower day the ratios fall too, as bench/HISTORY.md shows: compare runs of`,
    'similar pace.',
    '',
    '## Goals',
    '',
    '| benchmark | measure | goal | this run | |',
    '| --- | --- | --- | --- | --- |',
    ...goals.map(
      ({ section, goal }) =>
        `| ${section.title} | ${goal.measure} | ${goal.goal} | ${goal.value} | ${verdict(goal.met)} |`,
    ),
  ]
  for (const section of sections) {
    lines.push('', '', `## ${section.title}`, '', `\`${section.command}\` runs it alone.`)
    if (section.description !== '') lines.push(section.description)
    lines.push('', section.body)
  }
  return `${lines.join('\n')}\n`
}
