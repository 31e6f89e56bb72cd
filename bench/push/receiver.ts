// A remote write receiver for the push benchmark, in a process of its own so its work is nobody's figure: it
// takes every request (204) and counts requests and body bytes, which GET /count reports.
import { createServer } from 'node:http'

let requests = 0
let bytes = 0
const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests, bytes }))
    return
  }
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length
  })
  req.on('end', () => {
    requests++
    res.writeHead(204).end()
  })
})
server.listen(Number(process.argv[2]), '127.0.0.1')
