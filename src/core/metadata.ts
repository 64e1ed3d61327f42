import { loadSemver } from './vendor/load';
import type { PluginMetadataInput } from './plugin';
import { CAPABILITY_RULES } from './plugin';
import { CAPABILITIES, PLUGIN_TYPES, type Capability, type PluginMetadata, type PluginType } from './types';

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
  else if (!loadSemver().valid(version)) problems.push(`"version" ${JSON.stringify(version)} is not a semantic version such as 1.0.0`);
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
  if (engines?.tracelet !== undefined && loadSemver().validRange(engines.tracelet) === null) {
    problems.push(`"engines.tracelet" ${JSON.stringify(engines.tracelet)} is not a semver range`);
  }
  const capabilities = raw.capabilities ?? [];
  if (!Array.isArray(capabilities) || capabilities.some((c) => typeof c !== 'string'))
    problems.push('"capabilities" must be a list of names such as "runSampler"');
  else {
    for (const c of capabilities as string[]) {
      if (!(CAPABILITIES as readonly string[]).includes(c)) problems.push(`capability ${JSON.stringify(c)} is unknown (known: ${CAPABILITIES.join(', ')})`);
      else if (PLUGIN_TYPES.includes(pluginType as PluginType) && !CAPABILITY_RULES[c as Capability].types.includes(pluginType as PluginType)) {
        problems.push(`capability "${c}" is for ${CAPABILITY_RULES[c as Capability].types.join(' or ')} plugins, not ${pluginType}`);
      }
    }
  }
  const metricPrefix = raw.metricPrefix ?? name;
  if (typeof metricPrefix !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(metricPrefix))
    problems.push(`"metricPrefix" ${JSON.stringify(metricPrefix)} must be a word such as "gpu"`);
  if (raw.enabledByDefault !== undefined && typeof raw.enabledByDefault !== 'boolean') problems.push('"enabledByDefault" must be true or false');
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
    capabilities: [...new Set(capabilities as Capability[])],
    metricPrefix: metricPrefix as string,
    enabledByDefault: raw.enabledByDefault !== false,
  };
  if (engines) metadata.engines = { ...engines };
  return metadata;
}
