#!/usr/bin/env node
'use strict';
// Thin launcher for dist/cli.js (built by `npm run build` here; the probe-guard npm package ships it).
require('../dist/cli.js').main();
