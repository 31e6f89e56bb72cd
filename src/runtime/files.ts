/**
 * Reads a whole text file at once, as the standalone server does before it listens; throws what the runtime throws
 * (with its `code`: `ENOENT` and the like on Node, Deno and Bun alike).
 */
export type ReadTextFileSync = (file: string | URL) => string
