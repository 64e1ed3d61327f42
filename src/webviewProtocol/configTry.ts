// The configuration form's "Try on the last run's output" messages, part of the protocol in configProtocol.ts.
import type { Capture, SeriesDiff } from '../core/form/outputPreview';
import type { JsonObject } from '../core/form/jsonPointer';
import type { SecretEdits } from '../core/form/secretDraft';
import type { ConfigError } from '../core/types';

/** A recent run with stored output, as the form's run list shows it. */
export interface OutputRunOption {
  id: string;
  name: string;
  status: string;
  startTime: number;
  /** The size of its output.log. */
  outputBytes: number;
}

/** What the chosen run's stored output gives with the draft, and how that differs from what the saved settings give. */
export interface OutputPreview {
  run: OutputRunOption;
  /** Bytes of output.log read: its tail when it is longer than the limit (`limitBytes`). */
  bytesRead: number;
  totalBytes: number;
  limitBytes: number;
  /** Characters of that text parsed: fewer than `textChars` when the time limit (`limitMs`) ran out first. */
  parsedChars: number;
  textChars: number;
  limitMs: number;
  draft: Capture;
  /** Absent when the saved settings could not be read with, or the plugin reads only with its saved settings (see `note`). */
  diff: SeriesDiff | undefined;
  savedRecordCount: number | undefined;
  note: string | undefined;
}

// ---- extension host → webview ----------------------------------------------------

export interface OutputRunsMessage {
  type: 'outputRuns';
  /** Newest first; the first is what Try reads unless the user picks another. */
  runs: OutputRunOption[];
}

export type TryResultMessage =
  | { type: 'tryResult'; ok: true; runs: OutputRunOption[]; preview: OutputPreview }
  | { type: 'tryResult'; ok: false; runs: OutputRunOption[]; message: string; errors: ConfigError[] };

// ---- webview → extension host ----------------------------------------------------

/** Asks for the recent runs with stored output (when the form opens, and after each Try the list comes back fresh). */
export interface ListOutputRunsMessage {
  type: 'listOutputRuns';
}

/** Read a run's stored output with the form's current draft; `runId` null: the most recent run that has output. */
export interface TryOutputMessage {
  type: 'tryOutput';
  values: JsonObject;
  secrets: SecretEdits;
  runId: string | null;
}
