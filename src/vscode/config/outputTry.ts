// Node side, no VS Code: the configuration form's "Try on the last run's output". A recent run's stored output is
// read with the form's draft and with the saved settings through the plugin's outputParser capability, a chunk at a
// time with the event loop let go in between, so a long output never holds up the extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../../core/errors';
import { CaptureCollector, diffCaptures, type Capture } from '../../core/form/outputPreview';
import { PluginError } from '../../core/guard';
import { OUTPUT_LOG_FILE } from '../../core/output/outputFiles';
import { readOutputLog } from '../../core/output/outputLog';
import type { PluginManager } from '../../core/manager';
import type { OutputParser } from '../../core/plugin';
import type { RunSummaries } from '../../core/series/runSummaries';
import type { ConfigError, PluginConfig } from '../../core/types';
import type { OutputRunOption, OutputPreview, TryResultMessage } from '../../webviewProtocol/configTry';

export const TRY_LIMITS = {
  /** Of a longer output only its tail is read: the end of a run is what a user judges settings by. */
  maxBytes: 2 * 1024 * 1024,
  /** For both parses together; what was read by then is shown, marked as cut short. */
  timeMs: 3000,
  /** What one push reads between two turns of the event loop. */
  chunkChars: 16 * 1024,
  /** Runs the form's list offers. */
  runs: 20,
} as const;

export type TryLimits = { -readonly [K in keyof typeof TRY_LIMITS]: number };

/** The most recent runs whose folder holds an output.log (a plain file, as readOutputLog reads only those), newest first. */
export function outputRuns(summaries: RunSummaries, runsRoot: string, max: number = TRY_LIMITS.runs): OutputRunOption[] {
  const out: OutputRunOption[] = [];
  for (const run of summaries.list(runsRoot)) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(path.join(run.dir, OUTPUT_LOG_FILE));
    } catch {
      continue;
    }
    if (!stat.isFile()) continue;
    out.push({ id: run.id, name: run.name, status: run.status, startTime: run.startTime, outputBytes: stat.size });
    if (out.length >= max) break;
  }
  return out;
}

interface Reader {
  parser: OutputParser;
  collector: CaptureCollector;
}

/**
 * Feeds the text to every reader in the same chunks, so that a time limit cuts them all at the same place, and lets
 * the event loop go after each push: a slow format costs the extension host a few milliseconds at a time.
 */
async function feed(name: string, readers: Reader[], text: string, limits: TryLimits): Promise<number> {
  const began = performance.now();
  let at = 0;
  while (at < text.length) {
    const chunk = text.slice(at, at + limits.chunkChars);
    for (const r of readers) {
      r.collector.add(callPlugin(name, 'push', () => r.parser.push(chunk)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    at += chunk.length;
    if (performance.now() - began > limits.timeMs) return at;
  }
  for (const r of readers) r.collector.add(callPlugin(name, 'end', () => r.parser.end()));
  return at;
}

/** A synchronous call into plugin code, named as the manager names its failures. */
function callPlugin<T>(name: string, phase: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof PluginError ? err : new PluginError(name, phase, errorText(err), err);
  }
}

function reasonOf(err: unknown): string {
  return err instanceof PluginError ? err.reason : errorText(err);
}

/** The fields a refusal names: createParserFor may throw an error with `configErrors` ({ path, message }), see plugin.ts. */
function fieldErrorsOf(err: unknown): ConfigError[] {
  const listed = (err instanceof PluginError ? err.cause : err) as { configErrors?: unknown } | undefined;
  const errors = Array.isArray(listed?.configErrors) ? (listed.configErrors as unknown[]) : [];
  return errors.filter((e): e is ConfigError => {
    const c = e as Partial<ConfigError> | null;
    return typeof c?.path === 'string' && typeof c.message === 'string';
  });
}

export interface TryRequest {
  manager: PluginManager;
  name: string;
  runsRoot: string;
  summaries: RunSummaries;
  /** The draft, validated with defaults applied. */
  draft: PluginConfig;
  /** The saved settings, validated; a string says why they cannot be read with (they are not valid). */
  saved: PluginConfig | string;
  runId: string | null;
  limits?: TryLimits;
}

function refused(runs: OutputRunOption[], message: string): TryResultMessage {
  return { type: 'tryResult', ok: false, runs, message, errors: [] };
}

/** Reads the chosen run's stored output with the draft (and the saved settings) and sums up what each captured. */
export async function tryOnOutput(request: TryRequest): Promise<TryResultMessage> {
  const { manager, name } = request;
  const limits = request.limits ?? { ...TRY_LIMITS };
  const runs = outputRuns(request.summaries, request.runsRoot, limits.runs);
  if (runs.length === 0)
    return refused(runs, `No run has stored output yet: track a run in a terminal, and its output is kept in ${OUTPUT_LOG_FILE} in its run folder.`);
  const run = request.runId === null ? runs[0] : runs.find((r) => r.id === request.runId);
  if (!run) {
    const gone = !fs.existsSync(path.join(request.runsRoot, request.runId ?? ''));
    return refused(
      runs,
      gone ? `The folder of run ${request.runId} was removed; pick another run.` : `Run ${request.runId} has no stored output; pick another run.`,
    );
  }
  const runDir = path.join(request.runsRoot, run.id);
  const text = await readOutputLog(runDir, { maxBytes: limits.maxBytes });
  if (text === '' && !fs.existsSync(path.join(runDir, OUTPUT_LOG_FILE))) {
    request.summaries.forget(runDir);
    const fresh = outputRuns(request.summaries, request.runsRoot, limits.runs);
    const what = fs.existsSync(runDir) ? `The output of run "${run.name}" (${run.id}) was removed` : `The folder of run "${run.name}" (${run.id}) was removed`;
    return refused(fresh, `${what} since the list was made; pick another run.`);
  }

  const provider = manager.instanceOf(name, 'outputParser');
  if (!provider) return refused(runs, `${name} does not read terminal output.`);
  let readers: Reader[];
  let note: string | undefined;
  try {
    if (typeof provider.createParserFor === 'function') {
      const draft = await manager.call(name, 'createParserFor', () => provider.createParserFor!(request.draft));
      readers = [{ parser: draft, collector: new CaptureCollector() }];
      if (typeof request.saved === 'string') note = `No comparison with the saved settings: ${request.saved}`;
      else {
        const saved = request.saved;
        try {
          readers.push({ parser: await manager.call(name, 'createParserFor', () => provider.createParserFor!(saved)), collector: new CaptureCollector() });
        } catch (err) {
          note = `No comparison with the saved settings: ${reasonOf(err)}`;
        }
      }
    } else {
      if (manager.getInstance(name) === undefined)
        return refused(runs, `${name} is not running, and it can read output only with its saved settings once started: enable it, then try again.`);
      readers = [{ parser: await manager.call(name, 'createParser', () => provider.createParser()), collector: new CaptureCollector() }];
      note = `${name} reads output only with its saved settings (it has no createParserFor): this is what they capture, not the form's changes.`;
    }
  } catch (err) {
    return { type: 'tryResult', ok: false, runs, message: `Not tried: ${reasonOf(err)}`, errors: fieldErrorsOf(err) };
  }

  let parsedChars: number;
  try {
    parsedChars = await feed(name, readers, text, limits);
  } catch (err) {
    return refused(runs, `${name} failed while reading the output: ${reasonOf(err)}`);
  }
  const draft: Capture = readers[0]!.collector.result();
  const saved = readers[1]?.collector.result();
  const preview: OutputPreview = {
    run,
    bytesRead: Buffer.byteLength(text, 'utf8'),
    totalBytes: run.outputBytes,
    limitBytes: limits.maxBytes,
    parsedChars,
    textChars: text.length,
    limitMs: limits.timeMs,
    draft,
    diff: saved ? diffCaptures(draft, saved) : undefined,
    savedRecordCount: saved?.recordCount,
    note,
  };
  return { type: 'tryResult', ok: true, runs, preview };
}
