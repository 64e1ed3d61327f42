import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackendPlugin, type PluginMetadataInput } from '../../core/plugin';
import type { PluginConfig, PluginContext, PluginStatus } from '../../core/types';

/**
 * The embedded default backend: one folder per session under `directory`, with
 * metrics appended as JSON lines, params in params.json and copied artifacts.
 */
export class LocalBackend extends BackendPlugin {
  private dir: string | undefined;
  private metrics: fs.WriteStream | undefined;
  private points = 0;
  private params: Record<string, unknown> = {};

  getMetadata(): PluginMetadataInput {
    return {
      name: 'local',
      version: '0.1.0',
      description: 'Stores runs on disk as JSON lines; readable by any tool.',
      author: 'Tracelet',
      pluginType: 'backend',
      entryPoint: 'builtin:local',
      dependencies: [],
      configSchema: {
        type: 'object',
        properties: {
          directory: { type: 'string', description: 'Folder that holds the runs. Empty: the plugin storage folder.', default: '' },
        },
        additionalProperties: false,
      },
    };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    const configured = typeof config.directory === 'string' ? config.directory : '';
    this.dir = configured || path.join(context.storageDir, 'runs');
  }

  async start(): Promise<void> {
    const session = path.join(this.dir!, new Date().toISOString().replace(/[:.]/g, '-'));
    await fs.promises.mkdir(path.join(session, 'artifacts'), { recursive: true });
    this.dir = session;
    this.metrics = fs.createWriteStream(path.join(session, 'metrics.jsonl'), { flags: 'a' });
    this.points = 0;
    this.params = {};
  }

  async stop(): Promise<void> {
    const stream = this.metrics;
    this.metrics = undefined;
    if (stream) await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }

  getStatus(): PluginStatus {
    return { directory: this.dir, points: this.points, writing: this.metrics !== undefined };
  }

  logMetric(name: string, value: number, iteration?: number): void {
    if (!this.metrics) throw new Error('not started');
    this.metrics.write(`${JSON.stringify({ name, value, step: iteration ?? null, time: Date.now() })}\n`);
    this.points += 1;
  }

  async logParams(params: Record<string, unknown>): Promise<void> {
    this.params = { ...this.params, ...params };
    await fs.promises.writeFile(path.join(this.dir!, 'params.json'), JSON.stringify(this.params, null, 2));
  }

  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    const target = path.join(this.dir!, 'artifacts', artifactPath ?? path.basename(localPath));
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(localPath, target);
  }
}
