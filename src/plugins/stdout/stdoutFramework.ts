import { PluginBase, type PluginMetadataInput } from '../../core/plugin';
import {
  DEFAULT_IGNORED_NAMES,
  STDOUT_FORMATS,
  type CustomPattern,
  type MetricRecord,
  type StdoutFormat,
  type StdoutParserOptions,
} from '../../core/parse/metricRecord';
import { CustomPatternError } from '../../core/parse/customPatterns';
import { StdoutParser } from '../../core/parse/stdoutParser';
import type { PluginConfig, PluginContext, PluginStatus } from '../../core/types';
import { STDOUT_PRESETS } from './stdoutPresets';

const FORMAT_DESCRIPTIONS: Record<StdoutFormat, string> = {
  keyValue: '`name=value` pairs (`loss=0.5`, tqdm/Lightning postfixes).',
  keyColon: '`name: value` pairs (`loss: 0.5`, Keras progress lines).',
  json: 'JSON objects, one per line (`{"loss": 0.5, "step": 10}`).',
  pythonDict: "Python dicts as printed (`{'loss': 0.51, 'epoch': 1.0}` from the Hugging Face Trainer).",
  progressBar: 'Values in tqdm/Lightning progress bars.',
  table: 'Tables: a header row of column names, rows of values (fastai, spaCy, scikit-learn, Vowpal Wabbit, Ultralytics).',
};

const CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    customPatterns: {
      type: 'array',
      default: [],
      description:
        'Regular expressions for other formats. A named group (?<value>...) holds the number, (?<name>...) the metric name unless "name" is set; optional (?<step>...) and (?<epoch>...). A line a pattern matches is not read by the built-in formats.',
      items: {
        type: 'object',
        properties: {
          pattern: {
            type: 'string',
            minLength: 1,
            description:
              'A regular expression in JavaScript syntax, without slashes, run by a linear-time engine (RE2): no lookahead, lookbehind or backreferences.',
          },
          name: { type: 'string', description: 'The metric name, when the pattern has no (?<name>...) group.' },
          flags: { type: 'string', pattern: '^[imsu]*$', description: 'RegExp flags such as "i".' },
        },
        required: ['pattern'],
        additionalProperties: false,
      },
    },
    formats: {
      type: 'object',
      description: 'Built-in formats to read; all are on by default.',
      properties: Object.fromEntries(STDOUT_FORMATS.map((f) => [f, { type: 'boolean', default: true, description: FORMAT_DESCRIPTIONS[f] }])),
      additionalProperties: false,
    },
    ignoreNames: {
      type: 'array',
      items: { type: 'string' },
      default: [...DEFAULT_IGNORED_NAMES],
      description: 'Names never reported as metrics.',
    },
    keepNonFinite: { type: 'boolean', default: true, description: 'Report nan and inf values (a diverging loss).' },
    maxLineLength: { type: 'integer', minimum: 256, default: 65536, description: 'Characters kept of one output line.' },
  },
  additionalProperties: false,
  // Offered by the configuration form (README "Presets"); validators ignore the keyword.
  presets: STDOUT_PRESETS,
};

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** The parser options a config asks for; fields of the wrong type fall back to their defaults. */
export function parserOptionsFrom(config: PluginConfig): StdoutParserOptions {
  const options: StdoutParserOptions = {};
  if (Array.isArray(config.customPatterns)) options.customPatterns = config.customPatterns as CustomPattern[];
  if (typeof config.formats === 'object' && config.formats !== null) {
    const formats: Partial<Record<StdoutFormat, boolean>> = {};
    for (const f of STDOUT_FORMATS) {
      const on = (config.formats as Record<string, unknown>)[f];
      if (typeof on === 'boolean') formats[f] = on;
    }
    options.formats = formats;
  }
  const ignore = stringArray(config.ignoreNames);
  if (ignore !== undefined) options.ignoreNames = ignore;
  if (typeof config.keepNonFinite === 'boolean') options.keepNonFinite = config.keepNonFinite;
  if (typeof config.maxLineLength === 'number' && config.maxLineLength >= 256) options.maxLineLength = config.maxLineLength;
  return options;
}

/**
 * Reads metrics from a terminal's output. Run tracking makes one parser per
 * tracked command with `createParser()` and feeds it what
 * `execution.read()` yields; each `push` returns the records of the lines it
 * finished, and `end()` those of the last line.
 */
export class StdoutFramework extends PluginBase {
  private options: StdoutParserOptions = {};
  private parsersCreated = 0;
  private started = false;

  getMetadata(): PluginMetadataInput {
    return {
      name: 'stdout',
      version: '0.1.0',
      description:
        "Metrics printed by a training script: key=value, key: value, JSON lines, tables, Keras, Hugging Face, tqdm, Lightning, XGBoost, LightGBM, CatBoost, scikit-learn and other libraries' output, and your own patterns.",
      author: 'Tracelet',
      pluginType: 'framework',
      entryPoint: 'builtin:stdout',
      capabilities: ['outputParser'],
      dependencies: [],
      configSchema: CONFIG_SCHEMA,
    };
  }

  /** Throws (naming `customPatterns[i]`) when a custom pattern is unusable, so the error shows at startup, not mid-run. */
  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    const options = parserOptionsFrom(config);
    new StdoutParser(options); // compiles and checks the custom patterns
    this.options = options;
  }

  start(): void {
    this.started = true;
  }

  stop(): void {
    this.started = false;
  }

  getStatus(): PluginStatus {
    const formats = this.options.formats ?? {};
    return {
      started: this.started,
      parsersCreated: this.parsersCreated,
      formats: STDOUT_FORMATS.filter((f) => formats[f] !== false),
      customPatterns: this.options.customPatterns?.length ?? 0,
    };
  }

  /** A fresh parser for one command's output, with this plugin's configuration. */
  createParser(): StdoutParser {
    this.parsersCreated++;
    return new StdoutParser({ ...this.options, onWarning: (message) => this.context?.logger.warn(message) });
  }

  /**
   * A parser for another config, this plugin's state untouched (the form's Try reads stored output with the
   * unsaved draft); an unusable pattern throws a CustomPatternError naming `customPatterns[i]`, with the
   * field it is about in `configErrors` so that the form shows it there.
   */
  createParserFor(config: PluginConfig): StdoutParser {
    try {
      return new StdoutParser(parserOptionsFrom(config));
    } catch (err) {
      if (err instanceof CustomPatternError)
        throw Object.assign(err, { configErrors: [{ path: `/customPatterns/${err.index}/pattern`, message: err.reason }] });
      throw err;
    }
  }

  /** All records of a complete output, for one-off use (tests, imports of saved logs). */
  parseText(text: string): MetricRecord[] {
    const parser = new StdoutParser(this.options);
    return [...parser.push(text), ...parser.end()];
  }
}
