import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RunPipeline } from '../../src/core/pipeline/runPipeline';
import { LOST_OUTPUT_START, lostOutputStart, marksOutputStart } from '../../src/core/run/outputStart';
import { outputNotesOf, readRunRecord, type RunRecord } from '../../src/core/store/runRecord';
import { runTooltip } from '../../src/vscode/runs/runsTreeModel';
import { newRecord, quietLogger, tempDir } from './pipelineHelpers';

describe('the start of a terminal command’s output', () => {
  it('shows a lost start only in VS Code 1.98 and later, which begin the output with the command-executed mark', () => {
    const versions = ['1.93.0', '1.97.2', '1.98.0', '1.100.3', '1.101.0-insider', '2.0.0', 'x.y', ''];
    assert.deepEqual(versions.map(marksOutputStart), [false, false, true, true, true, true, false, false]);
  });

  it('is lost when the first chunk does not begin with the mark, or no chunk came', () => {
    const chunks = ['\x1b]633;C\x07step=0 loss=1.5\r\n', '\x1b]133;C\x07', 'step=0 loss=1.5\r\n', '\x1b]633;D;0\x07', ' \x1b]633;C\x07', undefined];
    assert.deepEqual(chunks.map(lostOutputStart), [false, false, true, true, true, true]);
  });

  it('is noted once in run.json, kept when the run ends, and shown in the Runs view’s tooltip', async () => {
    const runDir = path.join(tempDir('tracelet-gap-'), 'run1');
    const pipe = RunPipeline.open({ runDir, record: newRecord('run1'), sinks: [], logger: quietLogger });
    assert.equal(pipe.noteOutput(LOST_OUTPUT_START), true);
    assert.equal(pipe.noteOutput(LOST_OUTPUT_START), false, 'the same note twice is kept once');
    assert.deepEqual(readRunRecord(runDir)?.outputNotes, [LOST_OUTPUT_START], 'written at once, for the views of a run still going');
    await pipe.finish('finished', { exitCode: 0 });
    const saved = readRunRecord(runDir)!;
    assert.deepEqual(outputNotesOf(saved), [LOST_OUTPUT_START]);
    assert.match(runTooltip(saved, Date.now()), /\| Output \| VS Code did not pass on the start of the command's output/);
  });

  it('reads hand-edited notes that are not a list of text as none, or as their text entries', () => {
    const record = (outputNotes: unknown) => ({ ...newRecord('r'), outputNotes }) as unknown as RunRecord;
    assert.deepEqual(outputNotesOf(record('a note')), []);
    assert.deepEqual(outputNotesOf(record(null)), []);
    assert.deepEqual(outputNotesOf(record(['kept', 3, { no: 1 }])), ['kept']);
    assert.doesNotMatch(runTooltip(record({ x: 1 }), Date.now()), /\| Output \|/);
  });
});
