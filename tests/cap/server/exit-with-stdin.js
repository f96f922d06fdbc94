// Preloaded (`node -r ./exit-with-stdin.js …/serve.js`) by the test harness: the server exits
// when its standard input, a pipe held by the test process, closes. That stops a server the
// tests share even when the test process ends without dropping it, or is killed.
if (!process.stdin.isTTY) {
  process.stdin.on('end', () => process.exit(0))
  process.stdin.on('error', () => process.exit(0))
  process.stdin.resume()
}
