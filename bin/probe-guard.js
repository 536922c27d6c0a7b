#!/usr/bin/env node
'use strict';
// Thin launcher for dist/cli.js (built by `npm run build` here; the probe-guard npm package ships it).
// First a V8 code cache for the bundles (src/runtime/compileCache.ts): a run then skips compiling them.
const path = require('node:path');
require('../dist/compileCache.js').enableCompileCache(path.join(__dirname, '..', 'dist'));
require('../dist/cli.js').main();
