// What the run store's and the charts' benchmarks share: a worker process with gc() at hand, so that its memory
// figures start from a collected heap, and groups of contenders measured one group after another, each group
// alternating its own contenders round by round, whose results then read as one.
import { measure, nodeWorker, type Contender, type Measurements } from './harness';

/** A contender running `file` (a TypeScript worker in bench/) as `<file> <name> <root>`, with --expose-gc. */
export function gcWorker(file: string, name: string, label: string, role: Contender['role'], root: string): Contender {
  const [node, ...args] = nodeWorker(file, name, root);
  return { name, label, role, command: [node!, '--expose-gc', ...args] };
}

export async function measureGroups(groups: Contender[][]): Promise<Measurements> {
  const all: Measurements[] = [];
  for (const contenders of groups) all.push(await measure({ contenders }));
  return {
    contenders: all.flatMap((m) => m.contenders),
    rounds: Math.min(...all.map((m) => m.rounds)),
    outputs: Object.assign({}, ...all.map((m) => m.outputs)),
  };
}
