interface BunGlobal {
  readonly main: string
  pathToFileURL(path: string): URL
}

/**
 * The file Bun was started with. Not `import.meta.url`: in the CommonJS bundle that Bun's bytecode cache needs, Bun
 * writes it as the source file's URL on the machine that built the bundle.
 * @example new URL('../../', bunMainFile())
 */
export function bunMainFile(): URL {
  const { Bun } = globalThis as unknown as { Bun: BunGlobal }
  return Bun.pathToFileURL(Bun.main)
}
