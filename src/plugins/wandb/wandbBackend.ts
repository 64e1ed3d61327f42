import { WANDB } from '../backendDeclarations';
import type { PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint, PluginConfig, PluginContext } from '../../core/types';
import { PythonBridgeBackend, type BridgeSettings } from '../pythonBridge/bridgeBackend';
import { readWandbSettings, wandbKey } from './wandbConfig';

/** Points kept after W&B took them, to send again to the run that continues this one if the bridge dies before W&B wrote them. */
const RESEND_WINDOW_POINTS = 50_000;

/**
 * Records a Tracelet run as a W&B run through the `wandb` SDK: wandb.init (project, entity, name, group,
 * tags from git), run.log by step, params as config, artifacts, run.finish(exit_code). See README › Backends.
 */
export class WandbBackend extends PythonBridgeBackend {
  protected readonly backendName = 'wandb';
  /** Recently accepted batches with the step W&B was at after each. */
  private window: { points: readonly MetricPoint[]; step: number | null }[] = [];
  private windowPoints = 0;

  getMetadata(): PluginMetadataInput {
    return { ...WANDB };
  }

  protected readSettings(config: PluginConfig, context: PluginContext): BridgeSettings {
    return readWandbSettings(config, context);
  }

  protected mendName(name: string): string {
    return wandbKey(name);
  }

  /**
   * run.log returning means W&B's service has the rows, not that its file or server does: a bridge killed
   * then loses what the service had not written. The last points stay here until enough later ones came.
   */
  protected override accepted(points: readonly MetricPoint[], reply: Record<string, unknown>): void {
    this.window.push({ points, step: typeof reply.step === 'number' ? reply.step : null });
    this.windowPoints += points.length;
    while (this.window.length > 1 && this.windowPoints - this.window[0]!.points.length >= RESEND_WINDOW_POINTS) {
      this.windowPoints -= this.window.shift()!.points.length;
    }
  }

  /** What the continuing run lacks: points above the last step W&B wrote (`durableStep`), all of them if it wrote none. */
  protected override resendAfterRestart(startReply: Record<string, unknown>): MetricPoint[] {
    const durable = typeof startReply.durableStep === 'number' ? startReply.durableStep : -1;
    const out: MetricPoint[] = [];
    for (const batch of this.window) {
      if (batch.step !== null && batch.step <= durable) continue;
      for (const p of batch.points) if (p.step === undefined || p.step > durable) out.push(p);
    }
    return out;
  }
}
