import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectorReport } from '../../src/core/sampler/types';
import type { GpuValues } from '../../src/plugins/gpu/gpuCollector';
import type { ProcessValues } from '../../src/plugins/process/processValues';
import type { SystemValues } from '../../src/plugins/system/systemValues';
import { bar, buildDetailRows } from '../../src/vscode/statusBarDetails';
import { bytes, compactBytes, duration, gibPair, percent } from '../../src/vscode/statusBarFormat';
import { buildStatusBarView, statusValues, type StatusValues } from '../../src/vscode/statusBarModel';
import { DEFAULT_STATUS_BAR, normaliseStatusBarSettings, type StatusBarSettings } from '../../src/vscode/statusBarSettings';

const GIB = 1024 ** 3;

const system: SystemValues = {
  platform: 'linux',
  source: 'proc',
  cpu: { percent: 23.4, cores: [10, 36.8], count: 2, model: 'AMD EPYC' },
  load: { avg1: 0.42, avg5: 0.3, avg15: 0.21 },
  memory: { total: 24 * GIB, available: 12.8 * GIB, used: 11.2 * GIB, percent: (100 * 11.2) / 24 },
  swap: { total: 0, available: 0, used: 0, percent: undefined },
  disks: [
    { mount: '/', device: '/dev/vda', fsType: 'ext4', total: 100 * GIB, used: 14 * GIB, available: 80 * GIB, percent: (100 * 14) / 94 },
    { mount: '/data', device: '/dev/vdb', fsType: 'xfs', total: 100 * GIB, used: 60 * GIB, available: 40 * GIB, percent: 60 },
  ],
  diskIo: { readBytesPerSec: 1.5 * 1024 * 1024, writeBytesPerSec: 300 * 1024, devices: ['vda', 'vdb'] },
  network: {
    rxBytesPerSec: 1.2 * 1024 * 1024,
    txBytesPerSec: 30 * 1024,
    interfaces: [{ name: 'eth0', rxBytesPerSec: 1.2 * 1024 * 1024, txBytesPerSec: 30 * 1024 }],
  },
  uptime: 3 * 86400 + 4 * 3600 + 60,
  elapsedMs: 2000,
};

const gpu: GpuValues = {
  count: 2,
  maxUtilizationPercent: 87,
  maxMemoryPercent: (100 * 61234) / 81920,
  gpus: [
    {
      index: 0,
      name: 'NVIDIA A100-SXM4-80GB',
      utilizationPercent: 87,
      memoryUsedBytes: 61234 * 1024 ** 2,
      memoryTotalBytes: 81920 * 1024 ** 2,
      memoryPercent: (100 * 61234) / 81920,
      temperatureC: 64,
      powerW: 312.45,
    },
    {
      index: 1,
      name: 'NVIDIA A100-SXM4-80GB',
      utilizationPercent: 3,
      memoryUsedBytes: 4 * 1024 ** 2,
      memoryTotalBytes: 81920 * 1024 ** 2,
      memoryPercent: (100 * 4) / 81920,
    },
  ],
};

const tree: ProcessValues = {
  rootPid: 4242,
  alive: true,
  count: 3,
  threads: 20,
  cpuPercent: 12.5,
  rssBytes: 300 * 1024 * 1024,
  top: [{ pid: 4243, name: 'python', cpuPercent: 12, rssBytes: 250 * 1024 * 1024, threads: 18 }],
};

const reports: CollectorReport[] = [
  { name: 'system', health: { state: 'ok' }, cost: { calls: 10, lastMs: 0.4, meanMs: 0.45, p95Ms: 0.6, cpuMs: 0.42 }, lastProblem: undefined },
  {
    name: 'gpu',
    health: { state: 'backoff', reason: 'failed: boom', failures: 1, resumeAt: 5 },
    cost: { calls: 3, lastMs: 0.01, meanMs: 0.02, p95Ms: 0.03, cpuMs: 0.01 },
    lastProblem: 'failed: boom',
  },
];

function view(values: StatusValues, settings: Partial<StatusBarSettings> = {}, paused = false) {
  return buildStatusBarView({ values, reports, settings: { ...DEFAULT_STATUS_BAR, ...settings }, paused });
}

describe('status bar text', () => {
  it('shows the default fields in order', () => {
    assert.equal(view({ system, gpu }).text, '$(pulse) CPU 23% · MEM 11.2/24G · GPU 87%');
  });

  it('follows the configured fields and their order, leaving out what has no value', () => {
    const v = view({ system, gpu }, { fields: ['net', 'gpuMem', 'disk', 'swap', 'load', 'io', 'cpu'] });
    assert.equal(v.text, '$(pulse) NET ↓1.2M ↑30K · VRAM 59.8/160G · DISK 60% · LOAD 0.42 · IO R 1.5M W 300K · CPU 23%');
  });

  it('hides GPU fields without a GPU and shows the process tree when asked', () => {
    assert.equal(view({ system, process: tree }, { fields: ['cpu', 'gpu', 'proc'] }).text, '$(pulse) CPU 23% · PROC 13% 300M');
  });

  it('says Tracelet until there are values', () => {
    assert.equal(view({}).text, '$(pulse) Tracelet');
  });
});

describe('status bar thresholds', () => {
  it('has no background below the warning levels', () => {
    const v = view({ system, gpu });
    assert.equal(v.severity, 'normal');
    assert.equal(v.backgroundColor, undefined);
  });

  it('warns when CPU crosses its warning level and errs at the error level', () => {
    const busy = { ...system, cpu: { ...system.cpu, percent: 90 } };
    assert.equal(view({ system: busy }).backgroundColor, 'statusBarItem.warningBackground');
    const full = { ...system, cpu: { ...system.cpu, percent: 99 } };
    const v = view({ system: full });
    assert.equal(v.severity, 'error');
    assert.equal(v.backgroundColor, 'statusBarItem.errorBackground');
    assert.deepEqual(v.alerts, ['CPU 99% is at or above the error level (95%)']);
  });

  it('checks GPU memory, not utilisation, and only fields that are shown', () => {
    const fullGpu: GpuValues = { ...gpu, maxUtilizationPercent: 100, maxMemoryPercent: 92 };
    assert.equal(view({ system, gpu: fullGpu }).severity, 'warning');
    assert.equal(view({ system, gpu: { ...gpu, maxUtilizationPercent: 100 } }).severity, 'normal');
    assert.equal(view({ system, gpu: fullGpu }, { fields: ['cpu', 'mem'] }).severity, 'normal');
    const lowMem = view({ system }, { thresholds: { ...DEFAULT_STATUS_BAR.thresholds, mem: { warning: 40, error: 90 } } });
    assert.equal(lowMem.severity, 'warning');
    assert.match(lowMem.alerts[0]!, /^Memory 47% is at or above the warning level \(40%\)$/);
  });
});

describe('status bar tooltip', () => {
  const md = view({ system, gpu, process: tree }).tooltip;

  it('is a Markdown table of every current value', () => {
    assert.match(md, /\| CPU \| 23% of 2 cores \(AMD EPYC\) \|/);
    assert.match(md, /\| Per core \| 10% 37% \|/);
    assert.match(md, /\| Memory \| 11\.2 GB used of 24\.0 GB \(47%\), 12\.8 GB available \|/);
    assert.match(md, /\| Disk \/data \| 60\.0 GB used of 100 GB \(60%\), xfs \|/);
    assert.match(md, /\| Network \| receive 1\.2 MB\/s, send 30\.0 KB\/s \|/);
    assert.match(md, /\| GPU 0 NVIDIA A100-SXM4-80GB \| 87% · 59\.8 GB of 80\.0 GB · 64 °C · 312 W \|/);
    assert.match(md, /\| Process tree 4242 \| 3 processes, 20 threads, CPU 13%, 300 MB resident \|/);
    assert.match(md, /\| Uptime \| 3 d 4 h \|/);
  });

  it('lists what each collector costs and which are backing off', () => {
    assert.match(md, /\| system \| 0\.45 ms \| 0\.60 ms \| 0\.42 ms \| 0\.021% \| ok \|/);
    assert.match(md, /\| gpu \| .* \| skipped for now: failed: boom \|/);
  });

  it('says when sampling is paused and when the system collector is missing', () => {
    assert.match(view({ system }, {}, true).tooltip, /paused while the window is not focused/);
    assert.match(buildStatusBarView({ values: {}, reports: [], settings: DEFAULT_STATUS_BAR, paused: false }).tooltip, /The `system` collector is not active/);
  });
});

describe('status bar details', () => {
  it('groups per-core CPU, memory, disks, network, GPUs, the tree and costs', () => {
    const rows = buildDetailRows({ system, gpu, process: tree }, reports);
    assert.deepEqual(
      rows.filter((r) => r.separator).map((r) => r.label),
      ['CPU', 'Memory', 'Disks', 'Network', 'GPUs', 'Process tree of 4242', 'Collector cost'],
    );
    assert.deepEqual(
      rows.filter((r) => r.label.startsWith('Core ')).map((r) => r.label),
      ['Core 0  █░░░░░░░░░  10%', 'Core 1  ████░░░░░░  37%'],
    );
    assert.ok(rows.some((r) => r.label.startsWith('$(circuit-board) GPU 1') && r.detail === '4.0 MB of 80.0 GB'));
    assert.ok(rows.some((r) => r.label === 'eth0' && r.description === 'receive 1.2 MB/s, send 30.0 KB/s'));
    assert.equal(rows.find((r) => r.label === 'gpu')!.detail, 'skipped for now: failed: boom');
  });

  it('says why there is no GPU', () => {
    assert.ok(buildDetailRows({ system }, []).some((r) => r.label === 'No NVIDIA GPU readout'));
  });

  it('draws bars', () => {
    assert.equal(bar(0), '░░░░░░░░░░');
    assert.equal(bar(55), '██████░░░░');
    assert.equal(bar(150), '██████████');
    assert.equal(bar(undefined), '░░░░░░░░░░');
  });
});

describe('reading a sample', () => {
  it('keeps the built-in collectors’ values and drops odd shapes', () => {
    assert.deepEqual(statusValues({ system, gpu: {}, process: tree, other: { x: 1 } }), { system, process: tree });
    assert.deepEqual(statusValues({ system: { cpu: 5 }, gpu }), { gpu });
  });
});

describe('status bar settings', () => {
  it('uses the defaults for missing or wrong values', () => {
    assert.deepEqual(normaliseStatusBarSettings({}), DEFAULT_STATUS_BAR);
    assert.deepEqual(normaliseStatusBarSettings({ enabled: 'yes', interval: 'fast', fields: 'cpu', thresholds: 3 }), DEFAULT_STATUS_BAR);
  });

  it('clamps the interval, filters and de-duplicates fields, merges thresholds', () => {
    const s = normaliseStatusBarSettings({
      enabled: false,
      interval: 100,
      fields: ['net', 'bogus', 'cpu', 'net'],
      thresholds: { cpu: { warning: 50 } },
      pauseWhenUnfocused: false,
    });
    assert.equal(s.enabled, false);
    assert.equal(s.intervalMs, 250);
    assert.deepEqual(s.fields, ['net', 'cpu']);
    assert.deepEqual(s.thresholds.cpu, { warning: 50, error: 95 });
    assert.deepEqual(s.thresholds.gpu, DEFAULT_STATUS_BAR.thresholds.gpu);
    assert.equal(s.pauseWhenUnfocused, false);
  });
});

describe('formatting', () => {
  it('formats percentages, sizes, rates and durations', () => {
    assert.equal(percent(undefined), '—');
    assert.equal(percent(99.6), '100%');
    assert.equal(gibPair(11.2 * GIB, 23.54 * GIB), '11.2/24G');
    assert.equal(gibPair(1.5 * GIB, 7.7 * GIB), '1.5/7.7G');
    assert.equal(bytes(512), '512 B');
    assert.equal(bytes(1536), '1.5 KB');
    assert.equal(bytes(300 * 1024 * 1024), '300 MB');
    assert.equal(compactBytes(512), '512B');
    assert.equal(compactBytes(1.25 * 1024 * 1024), '1.3M');
    assert.equal(duration(59), '0 min');
    assert.equal(duration(5 * 3600 + 12 * 60), '5 h 12 min');
  });
});

describe('status bar layering', () => {
  it('keeps the model, details, format and settings free of vscode so they are tested here', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    for (const name of ['statusBarModel.ts', 'statusBarDetails.ts', 'statusBarFormat.ts', 'statusBarSettings.ts']) {
      assert.doesNotMatch(fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'vscode', name), 'utf8'), /from ['"]vscode['"]/, name);
    }
  });
});
