#!/usr/bin/env node
'use strict';
// The Probe Guard language server: `probe-guard-language-server --stdio` (after `npm run build`).
require('../dist/server.js').main();
