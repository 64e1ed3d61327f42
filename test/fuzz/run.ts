// `npm run fuzz -- --minutes N [--target NAME] [--seed S]`: runs every fuzz target (or one) for N minutes
// in all, split evenly, from a random seed unless one is given; `--case C` replays one case of one target.
import { describeFailure, fuzz, replay } from './harness';
import { loadTargets } from './targets';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const minutes = Number(option('minutes') ?? '1');
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  const only = option('target');
  const targets = (await loadTargets()).filter((t) => only === undefined || t.name === only);
  if (targets.length === 0) throw new Error(`no fuzz target named ${only}`);
  const oneCase = option('case');
  if (oneCase !== undefined) {
    for (const t of targets) replay(t, Number(oneCase));
    console.log(`case ${oneCase} passes`);
    return;
  }
  const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 32));
  const share = (minutes * 60_000) / targets.length;
  console.log(`fuzzing ${targets.length} target(s) for ${minutes} min from seed ${seed}`);
  let failed = 0;
  for (const t of targets) {
    const result = fuzz(t, { seed, untilMs: Date.now() + share });
    const rate = Math.round((result.cases / Math.max(1, result.ms)) * 1000);
    console.log(
      `${result.failure ? 'FAIL' : 'ok  '} ${t.name.padEnd(28)} ${String(result.cases).padStart(9)} cases  ${String(rate).padStart(7)}/s  ${t.checks}`,
    );
    if (result.failure) {
      failed++;
      console.error(describeFailure(result.failure));
    }
  }
  if (failed > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
