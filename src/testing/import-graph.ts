import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportGraph {
  /** The package's own files reached, relative to `dist`. */
  files: Set<string>;
  /** Every other specifier reached (packages, Node built-ins), with the files importing it. */
  external: Map<string, string[]>;
}

export interface GraphOptions {
  /** The package root (package.json and dist/). */
  root: string;
  /** Follow `import('literal')` too, not only static imports and re-exports. */
  dynamic: boolean;
  /** The package.json `imports` condition to follow: `node`, or `default` (what a browser bundler takes). */
  condition: 'node' | 'default';
}

const STATIC = /(?:^|[;\s])(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The modules a built entry reaches, read from the compiled JavaScript (comments dropped). */
export function importGraph(entry: string, o: GraphOptions): ImportGraph {
  const dist = join(o.root, 'dist');
  const imports = (JSON.parse(readFileSync(join(o.root, 'package.json'), 'utf8')) as { imports?: Record<string, Record<string, string>> }).imports ?? {};
  const files = new Set<string>();
  const external = new Map<string, string[]>();
  const stack = [resolve(entry)];
  while (stack.length) {
    const file = stack.pop()!;
    const rel = relative(dist, file);
    if (files.has(rel)) continue;
    files.add(rel);
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const specs = [...code.matchAll(STATIC), ...(o.dynamic ? [...code.matchAll(DYNAMIC)] : [])].map((m) => m[1]!);
    for (const spec of specs) {
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec));
      else if (spec.startsWith('#') && imports[spec]) stack.push(join(o.root, imports[spec][o.condition] ?? imports[spec]['default']!));
      else external.set(spec, [...(external.get(spec) ?? []), rel]);
    }
  }
  return { files, external };
}

export function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);
}
