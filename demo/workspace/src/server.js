// A stand-in for the checkout service, so the launch configuration has something to run.
const http = require('node:http');

const port = Number(process.env.PORT || 8080);
http
  .createServer((req, res) => {
    if (req.url === '/healthz' || req.url === '/ready') {
      res.writeHead(200).end('ok');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ checkout: 'local', path: req.url }));
  })
  .listen(port, () => console.log(`checkout listening on ${port}`));
