// `npm run bench -- activation`: what starting the extension costs in a real VS Code (code-server), with the
// .vsix a user installs: VS Code's own activation figure, activate() itself, and the bundle activation loads;
// against the same sources built as one bundle with every library inside (as before dist/vendor/).
import { measure, nodeWorker, type Contender } from './harness';
import { outcome, type BenchOutcome } from './report';

export const title = 'Activation: the installed .vsix in code-server, split bundle vs one bundle';

function contender(name: string, label: string, role: Contender['role'], bundle: string): Contender {
  return { name, label, role, command: nodeWorker('activationWorker.ts'), env: { TRACELET_BUNDLE: bundle } };
}

export async function run(): Promise<BenchOutcome> {
  const m = await measure({
    contenders: [
      contender(
        'split',
        'dist/extension.js alone at activation: ajv, RE2, semver and systeminformation in dist/vendor/, each built-in plugin, the run views, the configuration form, the run session, recovery, the run commands and the status bar in dist/lazy/, each loaded when first used',
        'ours',
        'split',
      ),
      contender('single', 'the same sources as one bundle, every library and lazy part inside', 'baseline', 'single'),
    ],
  });
  return outcome(
    m,
    [
      {
        label: "VS Code's activation time (Show Running Extensions), ms",
        unit: 'ms',
        better: 'lower',
        ours: 'split',
        figure: 'vscodeMs',
        against: 'single',
        headline: true,
      },
      {
        label: "VS Code's activation time of an extension that loads the vscode API and does nothing else, activated by the same event in the same window, ms",
        unit: 'ms',
        better: 'lower',
        ours: 'split',
        figure: 'vscodeMs',
        against: 'split',
        againstFigure: 'floorMs',
        ratio: false,
      },
      {
        label: "Tracelet's own part of VS Code's figure (its activation time less that extension's), ms",
        unit: 'ms',
        better: 'lower',
        ours: 'split',
        figure: 'ownMs',
        against: 'single',
      },
      { label: 'activate() itself, ms', unit: 'ms', better: 'lower', ours: 'split', figure: 'activateMs', against: 'single' },
      {
        label: 'activation start (extension host log) to activate() returning, ms',
        unit: 'ms',
        better: 'lower',
        ours: 'split',
        figure: 'untilReturnMs',
        against: 'single',
      },
      { label: 'dist/extension.js, minified, KB', unit: 'KB', better: 'lower', ours: 'split', figure: 'bundleKB', against: 'single' },
    ],
    {
      notes: [
        'Each process packages the extension (vsce, production build), installs the .vsix into a fresh code-server with --install-extension, opens the workbench in Chromium and reads the figures as a person would. The machine also runs code-server and the browser, so absolute times move with its load; the ratio is what holds.',
        "VS Code's activation time is the time from the start of the extension's code loading to activate() returning. VS Code starts loading every extension an event activates in the same turn and then requires them one after the other, built-in ones first, so an extension's figure also holds the loading of those before it (on onStartupFinished in code-server 1.100: debug-auto-launch and merge-conflict, whose 199 KB bundle with its telemetry library takes most of it). bench/floorExtension, which loads the vscode API and does nothing else, is installed beside Tracelet and activated by the same event: its figure is that floor, and Tracelet's figure less the floor's is what Tracelet's own code costs.",
        "Separately loaded CommonJS bundles rather than ESM with code splitting: engines.vscode ^1.93 loads an extension's main with require(), so the entry must be CommonJS, and esbuild splits only ESM. A module both sides import is in both files; test/unit/bundles.test.ts keeps any with module-level state in one.",
      ],
    },
  );
}
