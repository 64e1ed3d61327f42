import type { PluginDeclaration } from './discovery';
import type { DeclaredPlugin } from './managerTypes';
import { normaliseMetadata } from './metadata';
import { normaliseSchema, type JsonSchema } from './schema';
import { factoryOf, inspectPlugin, type PluginFactory } from './shape';
import type { PluginMetadata } from './types';

/** What differs between a declaration (package.json's, or a built-in's) and getMetadata(), in words; undefined when they agree. */
export function declarationDisagrees(declared: PluginDeclaration, metadata: PluginMetadata, where = 'package.json'): string | undefined {
  const said = [...declared.capabilities].sort().join(', ') || 'none';
  const has = [...metadata.capabilities].sort().join(', ') || 'none';
  if (declared.type === metadata.pluginType && said === has) return undefined;
  return `${where} declares a ${declared.type} with capabilities ${said}, but getMetadata() says a ${metadata.pluginType} with ${has}; make them agree`;
}

/** A declared plugin as the manager registers it, before any of its code has run. */
export interface DeclaredRecord {
  metadata: PluginMetadata;
  schema: JsonSchema;
  /** Loads the code on its first call (checked against the declaration, `onLoad` told of the export), then makes instances. */
  factory: PluginFactory;
}

/** Reads a declaration; throws a MetadataError naming what is wrong with its metadata. */
export function fromDeclaration(declared: DeclaredPlugin & { metadata: object }, onLoad: (exported: unknown) => void): DeclaredRecord {
  const metadata = normaliseMetadata(declared.metadata);
  let loaded: PluginFactory | undefined;
  const factory = (): ReturnType<PluginFactory> => {
    if (!loaded) {
      const exported = declared.load();
      const candidate = factoryOf(exported);
      const actual = inspectPlugin(candidate);
      const disagreement = declarationDisagrees({ type: metadata.pluginType, capabilities: metadata.capabilities }, actual, 'the declaration');
      if (disagreement) throw new Error(disagreement);
      if (actual.name !== metadata.name) throw new Error(`the declaration names it "${metadata.name}", but getMetadata() says "${actual.name}"`);
      onLoad(exported);
      loaded = candidate;
    }
    return loaded();
  };
  return { metadata, schema: normaliseSchema(metadata.configSchema), factory };
}
