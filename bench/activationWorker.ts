// One process of `npm run bench -- activation`: packages the extension (TRACELET_BUNDLE=single builds the
// one-bundle baseline), installs it into a fresh code-server, and reads the activation figures as a person
// would (Tracelet's log, Developer: Show Running Extensions).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activationFigures } from '../test/e2e/harness/activation';
import { Session } from '../test/e2e/harness/session';
import { emit, round } from './worker';

async function main(): Promise<void> {
  const s = await Session.open({ name: `bench-activation-${process.env.TRACELET_BUNDLE ?? 'split'}-${round}` });
  try {
    await s.waitForActivation();
    const f = await activationFigures(s);
    // The file code-server installed from the .vsix: dist/ may have been rebuilt since (npm run build is not minified).
    const extensions = path.join(s.root, 'extensions');
    const installed = fs.readdirSync(extensions).find((d) => d.startsWith(`${s.manifest.publisher}.${s.manifest.name}-`));
    if (!installed) throw new Error(`Tracelet is not installed in ${extensions}`);
    const bundleKB = fs.statSync(path.join(extensions, installed, 'dist', 'extension.js')).size / 1024;
    // Another process building dist/ while vsce packages (an e2e test, another benchmark) can put the other
    // contender's bundle in the .vsix: such a round measures nothing it claims to.
    const split = fs.existsSync(path.join(extensions, installed, 'dist', 'lazy'));
    if (split !== (process.env.TRACELET_BUNDLE !== 'single')) {
      throw new Error(
        `the installed .vsix holds the ${split ? 'split' : 'single'} bundle, not the ${process.env.TRACELET_BUNDLE} one: dist/ was rebuilt while packaging`,
      );
    }
    emit({ vscodeMs: f.vscodeMs, activateMs: f.activateMs, untilReturnMs: f.untilReturnMs, bundleKB }, { detail: f.detail });
  } finally {
    await s.close();
  }
}

void main();
