import semver from 'semver';
import type { PluginMetadataInput } from './plugin';
import { PLUGIN_TYPES, type PluginMetadata, type PluginType } from './types';

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;

export class MetadataError extends Error {}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Accepts the camelCase or the seed's snake_case form and returns the metadata in
 * camelCase, or throws a MetadataError that names every problem found.
 */
export function normaliseMetadata(input: unknown): PluginMetadata {
  if (typeof input !== 'object' || input === null) {
    throw new MetadataError('getMetadata() must return an object');
  }
  const raw = input as PluginMetadataInput;
  const problems: string[] = [];
  const name = text(raw.name);
  if (!name) problems.push('"name" is missing');
  else if (!NAME_PATTERN.test(name)) problems.push(`"name" ${JSON.stringify(name)} must start with a letter and hold only letters, digits, "_", "-" or "."`);
  const version = text(raw.version);
  if (!version) problems.push('"version" is missing');
  else if (!semver.valid(version)) problems.push(`"version" ${JSON.stringify(version)} is not a semantic version such as 1.0.0`);
  const pluginType = text(raw.pluginType ?? raw.plugin_type);
  if (!PLUGIN_TYPES.includes(pluginType as PluginType)) {
    problems.push(`"pluginType" ${JSON.stringify(pluginType)} must be one of ${PLUGIN_TYPES.join(', ')}`);
  }
  const dependencies = raw.dependencies ?? [];
  if (!Array.isArray(dependencies) || dependencies.some((d) => typeof d !== 'string')) {
    problems.push('"dependencies" must be a list of strings such as "pkg>=1.2.0"');
  }
  const configSchema = raw.configSchema ?? raw.config_schema ?? {};
  if (typeof configSchema !== 'object' || configSchema === null || Array.isArray(configSchema)) {
    problems.push('"configSchema" must be an object');
  }
  const engines = raw.engines;
  if (engines?.tracelet !== undefined && semver.validRange(engines.tracelet) === null) {
    problems.push(`"engines.tracelet" ${JSON.stringify(engines.tracelet)} is not a semver range`);
  }
  if (problems.length > 0) throw new MetadataError(`invalid metadata: ${problems.join('; ')}`);
  const metadata: PluginMetadata = {
    name,
    version,
    description: text(raw.description),
    author: text(raw.author),
    pluginType: pluginType as PluginType,
    entryPoint: text(raw.entryPoint ?? raw.entry_point),
    dependencies: dependencies as string[],
    configSchema: configSchema as Record<string, unknown>,
  };
  if (engines) metadata.engines = { ...engines };
  return metadata;
}
