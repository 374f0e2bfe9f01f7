// Expand a JSON-LD file with jsonld.js in safe mode (any dropped term or lossy construct
// is an error) and with a document loader that refuses every remote fetch, then convert
// it to N-Quads. Prints {"expanded": [...], "nquads": "..."} as JSON.
// Usage: node jsonld_expand.mjs FILE
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jsonld = require('jsonld');

const file = process.argv[2];
if (!file) {
  console.error('usage: node jsonld_expand.mjs FILE');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(file, 'utf8'));
const documentLoader = async (url) => {
  throw new Error(`refusing to fetch remote JSON-LD document ${url}: contexts must be inline`);
};
try {
  const expanded = await jsonld.expand(doc, { safe: true, documentLoader });
  const nquads = await jsonld.toRDF(doc, { format: 'application/n-quads', safe: true, documentLoader });
  process.stdout.write(JSON.stringify({ expanded, nquads }));
} catch (e) {
  console.error(`jsonld.js error: ${e.name}: ${e.message}`);
  if (e.details) console.error(JSON.stringify(e.details, null, 1).slice(0, 4000));
  process.exit(1);
}
