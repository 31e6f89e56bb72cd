import type { AppendOnlyFile, OpenDurableFolder, ReadTextFileSync } from '../../runtime/files.ts'
import { type DenoFile, deno } from './api.ts'

/**
 * Deno's own read: the standalone server on Deno loads no node:fs, whose compatibility layer took about 8 ms of a
 * 30 ms start (`npm run bench:cold-start`).
 */
export const denoReadTextFileSync: ReadTextFileSync = (file) => deno().readTextFileSync(file)

const writeAll = async (file: DenoFile, bytes: Uint8Array): Promise<void> => {
  for (let written = 0; written < bytes.length; ) written += await file.write(bytes.subarray(written))
}

/**
 * Deno's own file API for the spool. Deno has no CRC-32 of its own: the checksum is node:zlib's, loaded with the
 * spool, so a server without one never sets up Deno's Node compatibility for it.
 */
export const denoOpenDurableFolder: OpenDurableFolder = async (path) => {
  const { crc32 } = await import('node:zlib')
  const api = deno()
  await api.mkdir(path, { recursive: true })
  const at = (name: string) => `${path.replace(/\/+$/, '')}/${name}`
  return {
    async list() {
      const names: string[] = []
      for await (const entry of api.readDir(path)) names.push(entry.name)
      return names
    },
    read: (name) => api.readFile(at(name)),
    async openAppend(name): Promise<AppendOnlyFile> {
      const file = await api.open(at(name), { append: true, create: true })
      return {
        async append(bytes) {
          await writeAll(file, bytes)
          await file.sync()
        },
        close: async () => file.close(),
      }
    },
    async replace(name, bytes) {
      const temporary = at(`${name}.tmp`)
      const file = await api.open(temporary, { write: true, create: true, truncate: true })
      try {
        await writeAll(file, bytes)
        await file.sync()
      } finally {
        file.close()
      }
      await api.rename(temporary, at(name))
    },
    async remove(name) {
      await api.remove(at(name)).catch((error: unknown) => {
        if ((error as Error).name !== 'NotFound') throw error
      })
    },
    crc32: (bytes) => crc32(bytes),
  }
}
