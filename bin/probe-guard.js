#!/usr/bin/env node
'use strict';
// Thin launcher so that `npx probe-guard` works after `npm run build`.
require('../dist/cli.js').main();
