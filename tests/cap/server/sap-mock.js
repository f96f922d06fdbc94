// SAP's Fiori mock server (@sap-ux/fe-mockserver-core, what SAP Fiori tools serve local apps with)
// serving a V2 service from a $metadata document: the end-to-end tests run the client generated
// from the S/4HANA Business Partner API's $metadata (../shared/corpus) against it.
//
//   node sap-mock.js --port PORT --metadata FILE [--path /sap/opu/odata/sap/API_BUSINESS_PARTNER]
//
// Rows come from sap-mock/<EntitySet>.json (ours) where present and are generated for the other
// entity sets; writes are kept in memory. Each request is logged on stdout.
//
// The mock server hands out a constant X-CSRF-Token and checks none, so this script puts SAP
// Gateway's rule in front of it: a GET with `X-CSRF-Token: Fetch` opens a session (a new token in
// `X-CSRF-Token` and the session cookie it is bound to); any other method needs that token and
// that cookie, or is answered `403` with `X-CSRF-Token: Required`. `POST /__test/expire-sessions`
// ends every session, as a session timeout does.
const http = require('http')
const FEMockserver = require('@sap-ux/fe-mockserver-core').default

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1]
  if (fallback !== undefined) return fallback
  console.error(`sap-mock.js: --${name} is required`)
  process.exit(2)
}

const port = Number(arg('port'))
const metadataPath = arg('metadata')
const urlPath = arg('path', '/sap/opu/odata/sap/API_BUSINESS_PARTNER')

;(async () => {
  const mockserver = new FEMockserver({
    services: [
      {
        urlPath,
        metadataPath,
        mockdataPath: `${__dirname}/sap-mock`,
        generateMockData: true,
      },
    ],
    annotations: [],
  })
  await mockserver.isReady
  const router = mockserver.getRouter()
  const sessions = new Map() // session cookie value -> token
  let opened = 0
  const sessionOf = (req) => {
    for (const part of (req.headers.cookie || '').split(';')) {
      const [name, value] = part.trim().split('=')
      if (name === 'SAP_SESSIONID_MCK_100') return value
    }
    return undefined
  }
  http
    .createServer((req, res) => {
      console.log(`${req.method} ${req.url}`)
      const asked = req.headers['x-csrf-token']
      const reading = req.method === 'GET' || req.method === 'HEAD'
      if (req.method === 'POST' && req.url === '/__test/expire-sessions') {
        sessions.clear()
        res.statusCode = 204
        return res.end()
      }
      if (reading && typeof asked === 'string' && asked.toLowerCase() === 'fetch') {
        opened += 1
        const session = `s${opened}`
        const token = `${opened}-${Math.random().toString(36).slice(2)}`
        sessions.set(session, token)
        res.setHeader('x-csrf-token', token)
        res.setHeader('set-cookie', [
          `SAP_SESSIONID_MCK_100=${session}; path=/; HttpOnly`,
          'sap-usercontext=sap-client=100; path=/',
        ])
        delete req.headers['x-csrf-token'] // the mock server would answer its own constant
      } else if (!reading) {
        const session = sessionOf(req)
        if (!session || !sessions.has(session) || sessions.get(session) !== asked) {
          res.statusCode = 403
          res.setHeader('x-csrf-token', 'Required')
          return res.end('CSRF token validation failed')
        }
      }
      router(req, res, (err) => {
        res.statusCode = err ? 500 : 404
        res.end(err ? String(err) : 'not found')
      })
    })
    .listen(port, '127.0.0.1', () => console.log(`sap-mock: ${urlPath} on 127.0.0.1:${port}`))
})().catch((e) => {
  console.error(e)
  process.exit(1)
})
