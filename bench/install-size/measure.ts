// The installed size of the production dependencies, as install-size.sh measures it: a clean
// `npm ci --omit=dev --omit=optional` in a scratch folder, each dependency's own folder, and plain `--omit=dev`.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Heading, Section } from '../section.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const INSTALL_SIZE: Heading = {
  title: 'Installed size of the production dependencies',
  command: 'npm run bench:install-size',
}

const SCRIPT = fileURLToPath(new URL('./install-size.sh', import.meta.url))

const DESCRIPTION = `A clean \`npm ci --omit=dev --omit=optional\` of \`package.json\` and \`package-lock.json\` in a scratch
folder (what a production image installs), and each dependency's own folder. No ratio: the reference is plain
\`npm ci --omit=dev\`, which also installs TypeScript (valibot declares it as an optional peer, and npm marks our dev
copy "devOptional", which \`--omit=dev\` alone keeps). npm installs from its cache here.`

/**
 * Runs the script and takes its table (its first line, its own date and versions, is left out).
 * @example const section = await installSizeSection()
 */
export async function installSizeSection(): Promise<Section> {
  const { stdout } = await promisify(execFile)('bash', [SCRIPT])
  return {
    ...INSTALL_SIZE,
    description: DESCRIPTION,
    body: stdout.split('\n').slice(2).join('\n').trim(),
    goals: [],
  }
}
