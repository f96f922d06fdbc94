// SAP's Fiori mock server (@sap-ux/fe-mockserver-core, what SAP Fiori tools serve local apps with)
// serving a V2 service from a $metadata document: the end-to-end tests run the client generated
// from the S/4HANA Business Partner API's $metadata (../shared/corpus) against it.
//
//   node sap-mock.js --port PORT --metadata FILE [--path /sap/opu/odata/sap/API_BUSINESS_PARTNER]
//
// Rows come from sap-mock/<EntitySet>.json (ours) where present and are generated for the other
// entity sets; writes are kept in memory. Properties a row leaves out are null where nullable
// (forceNullableValuesToNull), as a service sends them. Each request is logged on stdout.
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
        forceNullableValuesToNull: true,
      },
    ],
    annotations: [],
  })
  await mockserver.isReady
  const router = mockserver.getRouter()
  http
    .createServer((req, res) => {
      console.log(`${req.method} ${req.url}`)
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
