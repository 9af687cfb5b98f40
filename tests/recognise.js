// Runs the shipped recogniser (overrides/javascripts/code-finder.js) in Node on the queries read
// from standard input, against a built site's lookup file: node recognise.js FINDER LOOKUP.
// Prints, for each query, what the search box would list: its heading's kind and the pages.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [finderPath, lookupPath] = process.argv.slice(2);
vm.runInThisContext(fs.readFileSync(finderPath, "utf8"), { filename: finderPath });
const lookup = JSON.parse(fs.readFileSync(lookupPath, "utf8"));
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const finder = globalThis.ojsCodeFinder;
const answers = queries.map((query) => {
  const found = finder.find(lookup, query);
  return found ? { how: found.how, shared: found.shared, pages: found.codes.map((entry) => entry.page) } : null;
});
process.stdout.write(JSON.stringify(answers));
