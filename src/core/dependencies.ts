import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSemver } from './vendor/load';

export interface DependencySpec {
  /** The string as the plugin wrote it. */
  raw: string;
  name: string;
  /** A semver range; `*` when none was given. */
  range: string;
}

export interface DependencyProblem {
  dependency: string;
  kind: 'plugin' | 'package' | 'engine';
  reason: string;
}

export interface DependencyReport {
  ok: boolean;
  missing: DependencyProblem[];
  incompatible: DependencyProblem[];
}

const SPEC = /^\s*(@?[A-Za-z0-9][\w.\-/]*?)\s*(?:@\s*(.+)|((?:===?|~=|!=|>=|<=|>|<|\^|~)\s*.+))?\s*$/;

/** PEP 440 comparisons mapped onto semver ones. */
function toSemverRange(spec: string): string {
  return spec
    .split(',')
    .map((part) => {
      const p = part.trim();
      if (p.startsWith('===')) return `=${p.slice(3).trim()}`;
      if (p.startsWith('==')) return `=${p.slice(2).trim()}`;
      if (p.startsWith('~=')) return `~${p.slice(2).trim()}`;
      if (p.startsWith('!=')) {
        const v = p.slice(2).trim();
        return `<${v} || >${v}`;
      }
      return p.replace(/^(>=|<=|>|<|=|\^|~)\s+/, '$1');
    })
    .join(' ');
}

/** Parses `"pkg>=1.2"`, `"pkg@^1.2"`, `"pkg==1.0,<2"`, `"@scope/pkg@~1"` or a bare name. */
export function parseDependency(raw: string): DependencySpec {
  const m = SPEC.exec(raw);
  if (!m) throw new Error(`dependency ${JSON.stringify(raw)} is not of the form "name>=1.0" or "name@^1.0"`);
  const name = m[1]!;
  const spec = m[2] ?? m[3];
  const range = spec === undefined ? '*' : toSemverRange(spec);
  if (spec !== undefined && loadSemver().validRange(range, { loose: true }) === null) {
    throw new Error(`dependency ${JSON.stringify(raw)} has a version range semver cannot read`);
  }
  return { raw, name, range };
}

/** The version of an npm package as Node would resolve it from `fromDir`, or undefined if it is not installed. */
export function installedPackageVersion(name: string, fromDir: string): string | undefined {
  let dir = path.resolve(fromDir);
  for (;;) {
    const manifest = path.join(dir, 'node_modules', name, 'package.json');
    try {
      const version = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
      return typeof version === 'string' ? version : '0.0.0';
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}

export function satisfies(version: string, range: string): boolean {
  return loadSemver().satisfies(version, range, { loose: true, includePrerelease: true });
}

/**
 * Orders names so that each comes after its dependencies (only dependencies
 * within `graph` count). Throws naming the cycle, e.g. `a -> b -> a`.
 */
export function orderByDependencies(names: readonly string[], graph: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (name: string): void => {
    if (done.has(name)) return;
    const at = onPath.indexOf(name);
    if (at >= 0) throw new DependencyCycleError([...onPath.slice(at), name]);
    onPath.push(name);
    for (const dep of graph.get(name) ?? []) if (graph.has(dep)) visit(dep);
    onPath.pop();
    done.add(name);
    order.push(name);
  };
  for (const name of names) visit(name);
  return order;
}

/** Strongly connected components (Tarjan) of the graph restricted to its own keys. */
function components(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      out.push(group);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}

/**
 * Every group of names that depend on each other in a ring, each described by
 * one cycle through it as a path (`a -> b -> a`).
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): { members: string[]; path: string[] }[] {
  const cycles: { members: string[]; path: string[] }[] = [];
  for (const group of components(graph)) {
    const members = new Set(group);
    const first = [...group].sort()[0]!;
    if (group.length === 1 && !(graph.get(first) ?? []).includes(first)) continue;
    const path = [first];
    for (;;) {
      const next = (graph.get(path[path.length - 1]!) ?? []).filter((d) => members.has(d)).sort()[0]!;
      const seen = path.indexOf(next);
      if (seen >= 0) {
        cycles.push({ members: [...group].sort(), path: [...path.slice(seen), next] });
        break;
      }
      path.push(next);
    }
  }
  return cycles;
}

export class DependencyCycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}`);
  }
}
