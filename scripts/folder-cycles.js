// The folders of apps/api/src must depend on each other one way only (docs/architecture.md): this builds
// their import graph with a plain regex over the sources (relative imports only; `@app/*` libraries and
// packages are outside the graph) and reports every cycle. Files at the root of src (main.ts, app.module.ts,
// the setup files) are the composition root: they may import any folder, and no folder may import them.
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?['"](\.{1,2}\/[^'"]+)['"]/g;
const ROOT = '(root)';

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

function folderOf(srcDir, file) {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? parts[0] : ROOT;
}

/** Folder → the folders its files import, with one example import per edge (to say where to look). */
function folderGraph(srcDir) {
  const graph = new Map();
  for (const file of sourceFiles(srcDir)) {
    const from = folderOf(srcDir, file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(dirname(file), specifier);
      if (relative(srcDir, target).startsWith('..')) continue;
      const to = folderOf(srcDir, target);
      if (to !== from && !graph.get(from).has(to)) graph.get(from).set(to, `${relative(srcDir, file)} → ${specifier}`);
    }
  }
  return graph;
}

/**
 * The folders that reach each other (strongly connected components of more than one folder, Tarjan),
 * each reported with one shortest cycle through it so the message says where to cut.
 */
function folderCycles(graph) {
  const next = (node) => [...(graph.get(node) ?? new Map()).keys()];
  const index = new Map();
  const low = new Map();
  const stack = [];
  const components = [];
  const connect = (node) => {
    index.set(node, index.size);
    low.set(node, index.get(node));
    stack.push(node);
    for (const to of next(node)) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return components.map((component) => ({ folders: component, cycle: shortestCycle(next, component) }));
}

/** Breadth-first from the component's first folder back to itself, staying inside the component. */
function shortestCycle(next, component) {
  const [start] = component;
  const paths = [[start]];
  while (paths.length) {
    const path = paths.shift();
    for (const to of next(path[path.length - 1])) {
      if (to === start) return [...path, start];
      if (component.includes(to) && !path.includes(to)) paths.push([...path, to]);
    }
  }
  return component;
}

function describe(graph, { folders, cycle }) {
  const edges = cycle.slice(1).map((to, index) => `    ${graph.get(cycle[index]).get(to)}`);
  return `  ${folders.join(', ')}; for example ${cycle.join(' → ')}:\n${edges.join('\n')}`;
}

module.exports = { folderGraph, folderCycles, ROOT };

if (require.main === module) {
  const srcDir = resolve(__dirname, '../apps/api/src');
  const graph = folderGraph(srcDir);
  const cycles = folderCycles(graph);
  const intoRoot = [...graph].filter(([from, edges]) => from !== ROOT && edges.has(ROOT)).map(([from, edges]) => `  ${edges.get(ROOT)}`);
  if (cycles.length || intoRoot.length) {
    if (cycles.length) console.error(`Folder cycles in apps/api/src (one per group of folders that import each other):\n${cycles.map((cycle) => describe(graph, cycle)).join('\n')}`);
    if (intoRoot.length) console.error(`Folders importing the composition root (apps/api/src/*.ts):\n${intoRoot.join('\n')}`);
    process.exit(1);
  }
  console.log(`apps/api/src: ${graph.size} folders, no import cycles between them`);
}
