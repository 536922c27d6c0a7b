// A stand-in for the checkout service: the "local app" the demo's launch configurations run
// (under mirrord it would answer the traffic stolen from the pod; here it is plain node).
const http = require('node:http');

const port = Number(process.env.PORT || 8080);
const server = http.createServer((req, res) => {
  if (req.url === '/healthz' || req.url === '/ready') {
    res.writeHead(200).end('ok');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ checkout: 'local', path: req.url }));
});
server.on('error', (error) => console.error(`checkout cannot listen on ${port}: ${error.message}`));
server.listen(port, () => console.log(`checkout listening on ${server.address().port}`));

// Work the debugger can stop on without a request: a breakpoint on the next line holds the app
// the way a breakpoint in a request handler does (the Probe Guard countdown starts there).
let beats = 0;
setInterval(() => {
  beats += 1;
}, 250);
