// The fake upstream, in a process of its own so it does not share an event loop with the script that measures:
// Plausible's answer to an accepted event, `202 ok`, keep-alive. `GET /count` tells how many events it received.
// Run: node --import tsx bench/relay/upstream.ts PORT   (prints `ready` once it listens)
import { createServer } from 'node:http'

const port = Number(process.argv[2])
let received = 0
const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/count') {
    response.end(String(received))
    return
  }
  request.resume()
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/api/event') received++
    response.writeHead(202, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '2' })
    response.end('ok')
  })
})
server.keepAliveTimeout = 60_000
server.listen(port, '127.0.0.1', () => console.log('ready'))
process.on('SIGTERM', () => process.exit(0))
