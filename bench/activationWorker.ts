// One process of `npm run bench -- activation`: packages the extension (TRACELET_BUNDLE=single builds the
// one-bundle baseline), installs it into a fresh code-server, and reads the activation figures as a person
// would (Tracelet's log, Developer: Show Running Extensions).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activationFigures } from '../test/e2e/harness/activation';
import { REPO_ROOT } from '../test/e2e/harness/paths';
import { Session } from '../test/e2e/harness/session';
import { emit, round } from './worker';

async function main(): Promise<void> {
  const s = await Session.open({ name: `bench-activation-${process.env.TRACELET_BUNDLE ?? 'split'}-${round}` });
  try {
    await s.waitForActivation();
    const f = await activationFigures(s);
    const bundleKB = fs.statSync(path.join(REPO_ROOT, 'dist', 'extension.js')).size / 1024;
    emit({ vscodeMs: f.vscodeMs, activateMs: f.activateMs, untilReturnMs: f.untilReturnMs, bundleKB }, { detail: f.detail });
  } finally {
    await s.close();
  }
}

void main();
