import { TENSORBOARD } from '../backendDeclarations';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childFolder, confinedJoin } from '../../core/paths/confine';
import { BackendPlugin, type PluginMetadataInput, type TensorBoardLogs } from '../../core/plugin';
import type { MetricPoint, PluginConfig, PluginContext, PluginStatus, RunInfo, RunStatus } from '../../core/types';
import { EventFileWriter } from './eventFileWriter';
import { scalarEvent, textEvent } from './eventProto';
import { resolveLogDir, runFolderName } from './tensorboardConfig';
import { errorText } from '../../core/errors';

/**
 * Writes a run as TensorBoard event files in `<logDir>/<run name>/`: scalars as
 * Summary `simple_value`s (float32, like PyTorch's add_scalar), params as a text
 * summary. Each batch is one append, so TensorBoard sees it at its next reload.
 */
export class TensorBoardBackend extends BackendPlugin implements TensorBoardLogs {
  private logDir = '';
  private runDir: string | undefined;
  private writer: EventFileWriter | undefined;
  /** Next step per tag for points that come without one. */
  private readonly nextStep = new Map<string, number>();
  private readonly params: Record<string, string> = {};
  private paramWrites = 0;
  private points = 0;
  private files = 0;
  private outcome: RunStatus | undefined;

  getMetadata(): PluginMetadataInput {
    return { ...TENSORBOARD };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    this.logDir = this.logFolder(config, context.run?.cwd ?? context.storageDir);
    if (context.run) this.runDir = this.runLogFolder(config, context.run);
  }

  logFolder(config: PluginConfig, base: string): string {
    return resolveLogDir(config, base);
  }

  runLogFolder(config: PluginConfig, run: RunInfo): string {
    return childFolder('tensorboard run folder', resolveLogDir(config, run.cwd), runFolderName(run));
  }

  async start(): Promise<void> {
    if (this.runDir) await this.openWriter();
  }

  async stop(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.close();
  }

  getStatus(): PluginStatus {
    return { logDir: this.logDir, runDir: this.runDir, file: this.writer?.path, files: this.files, points: this.points, outcome: this.outcome };
  }

  logMetric(name: string, value: number, iteration?: number): Promise<void> {
    return this.logBatch([{ name, value, step: iteration, time: Date.now() }]);
  }

  async logBatch(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const steps = new Map<string, number>();
    const events: Uint8Array[] = [];
    let group: { tag: string; value: number }[] = [];
    let groupStep = 0;
    let groupTime = 0;
    for (const p of points) {
      const step = p.step ?? steps.get(p.name) ?? this.nextStep.get(p.name) ?? 0;
      steps.set(p.name, Math.trunc(step) + 1);
      // Values that share a step and a time go in one Event, as a writer flushing a step would put them.
      if (group.length > 0 && (step !== groupStep || p.time !== groupTime || group.some((v) => v.tag === p.name))) {
        events.push(scalarEvent(groupTime / 1000, groupStep, group));
        group = [];
      }
      groupStep = step;
      groupTime = p.time;
      group.push({ tag: p.name, value: p.value });
    }
    events.push(scalarEvent(groupTime / 1000, groupStep, group));
    await this.write(events);
    for (const [tag, next] of steps) if (next > (this.nextStep.get(tag) ?? 0)) this.nextStep.set(tag, next);
    this.points += points.length;
  }

  /** Params as a Markdown table in the Text tab, under the tag "params"; each call writes all params so far. */
  async logParams(params: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) this.params[key] = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    }
    const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    const rows = Object.entries(this.params).map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`);
    await this.write([textEvent(Date.now() / 1000, this.paramWrites, 'params', ['| param | value |', '|---|---|', ...rows].join('\n'))]);
    this.paramWrites += 1;
  }

  /** Copies the file or folder into `<run folder>/artifacts/` (TensorBoard does not show them). */
  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    const runDir = this.requireRunDir();
    const target = confinedJoin('tensorboard logArtifact: artifact path', path.join(runDir, 'artifacts'), artifactPath ?? path.basename(localPath));
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.cp(localPath, target, { recursive: true });
  }

  finishRun(status: RunStatus): void {
    this.outcome = status;
  }

  private requireRunDir(): string {
    if (!this.runDir) throw new Error('tensorboard: this instance records no run (it was not created for a run)');
    return this.runDir;
  }

  private async openWriter(): Promise<EventFileWriter> {
    this.writer = await EventFileWriter.open(this.requireRunDir());
    this.files += 1;
    return this.writer;
  }

  /** One append; after a failed one the file may end in a torn record, so the next batch starts a new file. */
  private async write(events: Uint8Array[]): Promise<void> {
    const writer = this.writer ?? (await this.openWriter());
    try {
      await writer.write(events);
    } catch (err) {
      this.writer = undefined;
      await writer.close().catch(() => undefined);
      throw new Error(`tensorboard write ${writer.path}: ${errorText(err)}`);
    }
  }
}
