import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The Python peers (MLflow, TensorBoard) in the project's .venv/, made by
 * scripts/setup-python.sh. Without it a peer test is skipped with the reason printed,
 * except under TRACELET_REQUIRE_PEERS=1 (set by .ci/run), where it fails.
 *
 *   test('...', peerTest(), async () => { const { python } = requirePeers(); ... });
 */
export interface Peers {
  venv: string;
  python: string;
  /** A console script of the venv, e.g. bin('mlflow'). */
  bin(name: string): string;
}

const root = path.join(__dirname, '..', '..');
const venv = process.env.TRACELET_VENV ?? path.join(root, '.venv');
const binDir = path.join(venv, process.platform === 'win32' ? 'Scripts' : 'bin');
const python = path.join(binDir, process.platform === 'win32' ? 'python.exe' : 'python');
const stamp = path.join(venv, '.tracelet-peers-stamp');

function missingReason(): string | undefined {
  if (!fs.existsSync(python)) return `no Python peers: ${python} is missing; run scripts/setup-python.sh (needs python3 and PyPI)`;
  if (!fs.existsSync(stamp)) return `no Python peers: ${venv} was not completed by scripts/setup-python.sh; run it again`;
  return undefined;
}

export const peersRequired = process.env.TRACELET_REQUIRE_PEERS === '1';

/** Test options: skipped with the reason when the peers are missing and not required. */
export function peerTest(): { skip?: string } {
  const reason = missingReason();
  return reason && !peersRequired ? { skip: reason } : {};
}

/** The peers, or a thrown error (a failing test) when they are missing. */
export function requirePeers(): Peers {
  const reason = missingReason();
  if (reason) throw new Error(`${reason}${peersRequired ? ' (TRACELET_REQUIRE_PEERS=1: peers are required here)' : ''}`);
  return { venv, python, bin: (name) => path.join(binDir, process.platform === 'win32' ? `${name}.exe` : name) };
}
