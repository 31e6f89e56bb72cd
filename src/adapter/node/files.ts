import type { AppendOnlyFile, OpenDurableFolder, ReadTextFileSync } from '../../runtime/files.ts'

/**
 * node:fs, on Node and on Bun, loaded at the first read rather than with this module: Bun's entry imports the
 * spool's folder below, and node:fs alone took 3.3 to 4.1 ms of Bun's 15 ms start.
 */
export const nodeReadTextFileSync: ReadTextFileSync = (file) =>
  process.getBuiltinModule('node:fs').readFileSync(file, 'utf8')

/**
 * node:fs/promises, on Node and on Bun (and Deno's Node compatibility, for `createTelemetryApp` there). Loaded when
 * the spool opens: a server without one never loads it. The checksum is node:zlib's `crc32` (zlib's own, in Node
 * since 20.15, so in every Node the package supports, and in Deno's and Bun's node:zlib).
 */
export const nodeOpenDurableFolder: OpenDurableFolder = async (path) => {
  const [fs, { join }, { crc32 }] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('node:zlib'),
  ])
  await fs.mkdir(path, { recursive: true })
  const at = (name: string) => join(path, name)
  return {
    list: () => fs.readdir(path),
    read: async (name) => new Uint8Array(await fs.readFile(at(name))),
    async openAppend(name): Promise<AppendOnlyFile> {
      const handle = await fs.open(at(name), 'a')
      return {
        async append(bytes) {
          await handle.write(bytes)
          await handle.sync()
        },
        close: () => handle.close(),
      }
    },
    async replace(name, bytes) {
      const temporary = at(`${name}.tmp`)
      const handle = await fs.open(temporary, 'w')
      try {
        await handle.write(bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fs.rename(temporary, at(name))
    },
    remove: (name) => fs.rm(at(name), { force: true }),
    crc32: (bytes) => crc32(bytes),
  }
}
