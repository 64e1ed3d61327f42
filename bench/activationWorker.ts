// One process of `npm run bench -- activation`: packages the extension (TRACELET_BUNDLE=single builds the
// one-bundle baseline), installs it into a fresh code-server, and reads the activation figures as a person
// would (Tracelet's log, Developer: Show Running Extensions), with an extension that does nothing
// (bench/floorExtension) installed beside it and activated by the same event.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activationFigures } from '../test/e2e/harness/activation';
import { Session } from '../test/e2e/harness/session';
import { emit, round } from './worker';

const FLOOR = path.join(__dirname, 'floorExtension');

async function main(): Promise<void> {
  const floor = JSON.parse(fs.readFileSync(path.join(FLOOR, 'package.json'), 'utf8')) as { name: string; activationEvents: string[] };
  const s = await Session.open({ name: `bench-activation-${process.env.TRACELET_BUNDLE ?? 'split'}-${round}`, otherExtensions: [FLOOR] });
  try {
    // The floor means something only if VS Code activates both in the same batch.
    const ours = s.manifest.activationEvents;
    if (ours.join() !== floor.activationEvents.join()) {
      throw new Error(`bench/floorExtension is activated by ${floor.activationEvents.join()}, Tracelet by ${ours.join()}: make them the same`);
    }
    await s.waitForActivation();
    const f = await activationFigures(s, floor.name);
    // The file code-server installed from the .vsix: dist/ may have been rebuilt since (npm run build is not minified).
    const extensions = path.join(s.root, 'extensions');
    const installed = fs.readdirSync(extensions).find((d) => d.startsWith(`${s.manifest.publisher}.${s.manifest.name}-`));
    if (!installed) throw new Error(`Tracelet is not installed in ${extensions}`);
    const bundle = fs.readFileSync(path.join(extensions, installed, 'dist', 'extension.js'), 'utf8');
    const bundleKB = Buffer.byteLength(bundle) / 1024;
    // Another process building dist/ while vsce packages (an e2e test, another benchmark) can put the other
    // contender's bundle, or an unminified one, in the .vsix: such a round measures nothing it claims to.
    const kind = bundle.includes('require("./lazy/') ? 'split' : 'single';
    const wanted = process.env.TRACELET_BUNDLE === 'single' ? 'single' : 'split';
    if (kind !== wanted || /^\/\/ src\//m.test(bundle)) {
      throw new Error(
        `the installed .vsix holds a ${kind} bundle of ${bundleKB.toFixed(0)} KB, not the minified ${wanted} one: dist/ was rebuilt while packaging`,
      );
    }
    const floorMs = f.floorMs!;
    emit(
      { vscodeMs: f.vscodeMs, floorMs, ownMs: f.vscodeMs - floorMs, activateMs: f.activateMs, untilReturnMs: f.untilReturnMs, bundleKB },
      { detail: f.detail },
    );
  } finally {
    await s.close();
  }
}

void main();
