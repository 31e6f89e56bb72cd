// `npm run setup:node-lts`: installs the current Node LTS into .cache/ for the conformance suite, before the specs
// run, since they make no connection beyond loopback. Off line it says why and leaves the specs to skip (CI: fail).
import { installNodeLts } from '../test/helpers/node-lts.ts'

const installed = installNodeLts()
if ('failed' in installed)
  console.warn(`setup:node-lts: ${installed.failed}; its conformance specs will be skipped`)
