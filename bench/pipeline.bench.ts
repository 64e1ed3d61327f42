// The run pipeline's figures, each against the obvious way of doing the same: ingest into the local
// store against JSON lines, print-to-durable latency against the pipe alone, and memory while a
// backend lags far behind against an in-memory queue. Each contender in its own process (pipelineWorker.ts).
import { measure, nodeWorker, type Contender } from './harness';
import { outcome, type BenchOutcome } from './report';

export const title = 'Run pipeline: ingest, latency, memory';

const INGEST_POINTS = 1_000_000;
const LINES_PER_SECOND = 1000;
const MEMORY_POINTS = 1_000_000;

export async function run(): Promise<BenchOutcome> {
  const worker = (what: string, side: string, size: number): string[] => nodeWorker('pipelineWorker.ts', what, side, String(size));
  const contenders: Contender[] = [
    { name: 'ingest', label: 'RunPipeline into the binary metrics log', role: 'ours', command: worker('ingest', 'ours', INGEST_POINTS) },
    { name: 'ingest-jsonl', label: 'JSON lines, one write per batch of 1000', role: 'baseline', command: worker('ingest', 'jsonl', INGEST_POINTS) },
    { name: 'ingest-series-index', label: 'RunWriter keeping series.idx (its default)', role: 'ours', command: worker('ingest', 'writer', INGEST_POINTS) },
    {
      name: 'ingest-no-series-index',
      label: 'RunWriter with seriesIndex: false',
      role: 'baseline',
      command: worker('ingest', 'writer-no-series-index', INGEST_POINTS),
    },
    {
      name: 'series-index-ab',
      label: 'RunWriter with and without series.idx, alternated in one process (CPU time)',
      role: 'ours',
      command: worker('ingest', 'series-index-ab', INGEST_POINTS),
    },
    { name: 'latency', label: 'printed → parsed → durable in the run log', role: 'ours', command: worker('latency', 'ours', LINES_PER_SECOND) },
    { name: 'latency-pipe', label: 'printed → read by this process (the pipe alone)', role: 'baseline', command: worker('latency', 'pipe', LINES_PER_SECOND) },
    { name: 'memory', label: 'RunPipeline, backlog kept on disk', role: 'ours', command: worker('memory', 'ours', MEMORY_POINTS) },
    { name: 'memory-queue', label: 'the same backlog in an in-memory queue', role: 'baseline', command: worker('memory', 'queue', MEMORY_POINTS) },
  ];
  console.log(
    `ingest ${INGEST_POINTS.toLocaleString('en-US')} points after a fifth as many for warm-up; latency at ${LINES_PER_SECOND} lines/s for 2 s after 1 s of warm-up; memory over ${MEMORY_POINTS.toLocaleString('en-US')} points with a backend taking 1000 points per 5 ms, after a tenth as many`,
  );
  const m = await measure({ contenders });
  const backlog = Math.min(...m.outputs.memory!.map((o) => o.figures.backlog!));
  return outcome(
    m,
    [
      {
        label: 'ingest into the local store, million points/s',
        unit: 'M points/s',
        better: 'higher',
        ours: 'ingest',
        figure: 'rate',
        against: 'ingest-jsonl',
        headline: true,
      },
      {
        label: 'what keeping series.idx costs: ingest into RunWriter with it (default) against without, million points/s',
        unit: 'M points/s',
        better: 'higher',
        ours: 'ingest-series-index',
        figure: 'rate',
        against: 'ingest-no-series-index',
      },
      {
        label: 'what keeping series.idx costs, per CPU second (the same runs), million points/s',
        unit: 'M points/s',
        better: 'higher',
        ours: 'ingest-series-index',
        figure: 'cpuRate',
        against: 'ingest-no-series-index',
      },
      {
        label: 'what keeping series.idx costs, with and without alternated in one process: extra CPU time, %',
        unit: '%',
        better: 'lower',
        ours: 'series-index-ab',
        figure: 'costPercent',
        ratio: false,
      },
      { label: 'bytes per point stored', unit: 'bytes', better: 'lower', ours: 'ingest', figure: 'bytesPerPoint', against: 'ingest-jsonl' },
      {
        label: `print-to-stored latency at ${LINES_PER_SECOND} lines/s, p50`,
        unit: 'ms',
        better: 'lower',
        ours: 'latency',
        figure: 'p50',
        against: 'latency-pipe',
        ratio: false,
      },
      {
        label: `print-to-stored latency at ${LINES_PER_SECOND} lines/s, p99`,
        unit: 'ms',
        better: 'lower',
        ours: 'latency',
        figure: 'p99',
        against: 'latency-pipe',
        ratio: false,
      },
      {
        label: `memory growth over a ${MEMORY_POINTS.toLocaleString('en-US')}-point run, backend far behind`,
        unit: 'MB',
        better: 'lower',
        ours: 'memory',
        figure: 'growthMB',
        against: 'memory-queue',
      },
    ],
    {
      settings: { 'ingest points': INGEST_POINTS, 'lines/s': LINES_PER_SECOND, 'memory points': MEMORY_POINTS },
      notes: [
        "series.idx: the same ingest straight into RunWriter (RunPipeline keeps its default, seriesIndex on), once keeping the charts' index as blocks are written and once with `seriesIndex: false`; the ratio is what the index costs the write path.",
        `Latency: our side waits up to 20 ms to batch points before one append (RunPipeline's flushDelayMs), so its p50 is about half that; the pipe alone is the floor any tracker reading a terminal has. Memory: at least ${backlog.toLocaleString('en-US')} points were still waiting for the backend when ours was measured.`,
      ],
    },
  );
}
