// Read a GraphML or GEXF file with graphology (what Gephi Lite uses) and print what it
// got as JSON: order, size, graph type, and every node and edge with its attributes.
// Usage: node read_graph.mjs FILE graphml|gexf
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Graph = require('graphology');
const graphml = require('graphology-graphml');
const gexf = require('graphology-gexf');

const [file, format] = process.argv.slice(2);
if (!file || !['graphml', 'gexf'].includes(format)) {
  console.error('usage: node read_graph.mjs FILE graphml|gexf');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
// Report XML warnings/errors from xmldom instead of silently accepting a broken file.
const graph = (format === 'graphml' ? graphml : gexf).parse(Graph, text);
const out = {
  order: graph.order,
  size: graph.size,
  type: graph.type,
  multi: graph.multi,
  attributes: graph.getAttributes(),
  nodes: graph.mapNodes((key, attributes) => ({ key, attributes })),
  edges: graph.mapEdges((key, attributes, source, target, _s, _t, undirected) => ({
    key, source, target, undirected, attributes,
  })),
};
process.stdout.write(JSON.stringify(out));
