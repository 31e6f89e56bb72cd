import type { RuntimeTarget } from '../test/helpers/runtimes.ts'

/**
 * How a runtime runs a plain JavaScript file: Node without a TypeScript loader, as it runs the module's bundle.
 * @example spawn(...plainCommand(runtime, '/tmp/bare-server.mjs'))
 */
export const plainCommand = (runtime: RuntimeTarget, path: string): string[] =>
  runtime.runFile(path).filter((arg) => arg !== '--import' && arg !== 'tsx')
