// The public surface of the core, bundled as dist/core.js for plugin authors and tools.
export { CORE_VERSION } from './version';
export { CAPABILITIES, PLUGIN_STATES, PLUGIN_TYPES } from './types';
export type {
  Capability,
  ConfigSchema,
  Logger,
  MetricPoint,
  PluginConfig,
  PluginContext,
  PluginMetadata,
  PluginState,
  PluginStatus,
  PluginType,
  RunInfo,
  RunStatus,
} from './types';
export { BackendPlugin, CollectorPlugin, PluginBase } from './plugin';
export { CAPABILITY_RULES } from './plugin';
export type {
  BackendLike,
  CapabilityContracts,
  CollectedValues,
  CollectorLike,
  ConnectionTestable,
  FileSource,
  FileWatch,
  OutputParser,
  OutputParserProvider,
  PluginLike,
  PluginMetadataInput,
  ProcessTreeCollector,
  Processor,
  ReadoutCollector,
  RunContextCollector,
  RunSampler,
  RunStore,
  TensorBoardLogs,
} from './plugin';
export type { MetricRecord } from './parse/metricRecord';
export { normaliseMetadata, MetadataError } from './metadata';
export { normaliseSchema, redactSecrets, secretPaths } from './schema';
export { formatConfigErrors, validateAgainstSchema } from './validate';
export type { ConfigError, ValidationResult } from './validate';
export { DependencyCycleError, findCycles, parseDependency } from './dependencies';
export type { DependencyProblem, DependencyReport, DependencySpec } from './dependencies';
export { findPluginPackages, pluginSearchPaths } from './discovery';
export { PluginError } from './guard';
export { PluginManager } from './manager';
export type { ManagerStatus, PluginManagerOptions, StartOutcome, StateChange } from './managerTypes';
export type { PluginErrorKind, PluginInfo, PluginSource } from './registry';

import { normaliseSchema } from './schema';
import { validateAgainstSchema, type ValidationResult } from './validate';
import type { ConfigSchema } from './types';

/** Validates a config against a plugin's configSchema (shorthand or JSON Schema), applying defaults. */
export function validateConfig(schema: ConfigSchema, config: unknown): ValidationResult {
  return validateAgainstSchema(normaliseSchema(schema), config);
}
