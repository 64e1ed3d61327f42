// Pure (no vscode): a new plugin package from the template, so that tests make exactly what Create Plugin makes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normaliseMetadata } from '../../core/metadata';
import { errorText } from '../../core/errors';

export type PluginKind = 'backend' | 'collector' | 'both';

/** What the template calls things; a new package gets the names the user chose instead. */
const TEMPLATE_PACKAGE = 'tracelet-plugin-example';
const PARTS = {
  backend: { name: 'example_backend', files: ['backend.js', 'test/backend.test.js'] },
  collector: { name: 'example_collector', files: ['collector.js', 'test/collector.test.js'] },
} as const;
type Part = keyof typeof PARTS;

/** The plugins a package of this kind holds, by part: the name itself, or for both `<name>_backend` and `<name>_collector`. */
export function pluginNames(name: string, kind: PluginKind): Partial<Record<Part, string>> {
  return kind === 'both' ? { backend: `${name}_backend`, collector: `${name}_collector` } : { [kind]: name };
}

/** Why `name` cannot name a new package of this kind (the metadata's rule for names, or a plugin already has it); undefined when it can. */
export function pluginNameProblem(name: string, kind: PluginKind, taken: readonly string[]): string | undefined {
  try {
    normaliseMetadata({ name, version: '0.1.0', pluginType: 'backend' });
  } catch (err) {
    return errorText(err).replace(/^invalid metadata: "name" /, 'The name ');
  }
  const clash = Object.values(pluginNames(name, kind)).find((n) => taken.includes(n));
  return clash === undefined ? undefined : `A plugin named "${clash}" is already loaded; choose another name.`;
}

export interface ScaffoldOptions {
  /** The template folder (dist/plugin-template in the extension, examples/plugin-template here). */
  templateDir: string;
  /** dist/tracelet.d.ts, copied into the package for the JSDoc types to refer to. */
  contractFile: string;
  /** The folder to make; it must not exist. */
  targetDir: string;
  name: string;
  kind: PluginKind;
}

export interface Scaffold {
  dir: string;
  /** The file to open first: the backend's, else the collector's. */
  mainFile: string;
  plugins: string[];
}

/** The template's files, as `/`-separated paths relative to it. */
function templateFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? templateFiles(dir, rel) : [rel];
  });
}

/**
 * Writes a plugin package from the template into `targetDir`. Refuses a folder that exists with an
 * EEXIST error, never writing into it; removes what it made if it fails half-way.
 */
export async function scaffoldPlugin(o: ScaffoldOptions): Promise<Scaffold> {
  const names = pluginNames(o.name, o.kind);
  const dropped = (Object.keys(PARTS) as Part[]).filter((part) => names[part] === undefined);
  const droppedFiles: string[] = dropped.flatMap((part) => PARTS[part].files);
  const rename = (text: string): string => {
    let out = text.replaceAll(TEMPLATE_PACKAGE, `tracelet-plugin-${o.name.toLowerCase()}`);
    for (const part of Object.keys(names) as Part[]) out = out.replaceAll(PARTS[part].name, names[part]!);
    return out;
  };
  await fs.promises.mkdir(path.dirname(o.targetDir), { recursive: true });
  await fs.promises.mkdir(o.targetDir);
  try {
    for (const file of templateFiles(o.templateDir).filter((f) => !droppedFiles.includes(f))) {
      let text = await fs.promises.readFile(path.join(o.templateDir, file), 'utf8');
      if (file === 'package.json') {
        const manifest = JSON.parse(text) as { tracelet: { plugins: Record<string, unknown> } };
        for (const part of dropped) delete manifest.tracelet.plugins[PARTS[part].name];
        text = `${JSON.stringify(manifest, null, 2)}\n`;
      } else if (file.endsWith('.md')) {
        text = text
          .split('\n')
          .filter((line) => !droppedFiles.some((f) => line.includes(`\`${f}\``)))
          .join('\n');
      }
      const target = path.join(o.targetDir, file);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, rename(text));
    }
    await fs.promises.copyFile(o.contractFile, path.join(o.targetDir, 'tracelet.d.ts'));
  } catch (err) {
    await fs.promises.rm(o.targetDir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir: o.targetDir,
    mainFile: path.join(o.targetDir, names.backend ? PARTS.backend.files[0] : PARTS.collector.files[0]),
    plugins: Object.values(names),
  };
}
