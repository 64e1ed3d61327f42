// The plugin author's kit: dist/tracelet.d.ts stands alone and says what src/core/api.ts exports; a package
// made from examples/plugin-template (as Create Plugin makes it) type-checks against it, passes its own
// tests with `node --test` and nothing installed, and loads in the real manager.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import ts from 'typescript';
import { PluginManager } from '../../src/core/manager';
import { pluginNameProblem, pluginNames, scaffoldPlugin, type PluginKind } from '../../src/vscode/authoring/pluginScaffold';
import { tempDir } from './pipelineHelpers';

const repo = path.join(__dirname, '..', '..');
const contract = path.join(repo, 'dist', 'tracelet.d.ts');
const templateDir = path.join(repo, 'examples', 'plugin-template');
// Outside the repository, so that no node_modules of ours is within reach of the package's tests.
const root = tempDir('tracelet-template-');
after(() => fs.rmSync(root, { recursive: true, force: true }));

function diagnostics(files: string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(files, { noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], ...options });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

/** The names a module exports, read from its syntax (export lists, exported declarations). */
function exportedNames(file: string): Set<string> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const names = new Set<string>();
  for (const node of source.statements) {
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause))
      for (const e of node.exportClause.elements) names.add(e.name.text);
    const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(node)) for (const d of node.declarationList.declarations) names.add(d.name.getText(source));
    else if ('name' in node && node.name && ts.isIdentifier(node.name as ts.Node)) names.add((node.name as ts.Identifier).text);
  }
  return names;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

function isHidden(node: ts.Node): boolean {
  return hasModifier(node, ts.SyntaxKind.PrivateKeyword) || hasModifier(node, ts.SyntaxKind.ProtectedKeyword);
}

/**
 * The contract as its reader can use it: the top-level declarations that no export of src/core/api.ts leads
 * to through public members (a type only a protected or private member names is internal), and every
 * protected member as `Class.member`.
 */
function contractSurface(file: string, exported: Iterable<string>): { unreachable: string[]; protectedMembers: string[] } {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const declarations = new Map<string, ts.Node[]>();
  const declare = (name: string, node: ts.Node): void => void declarations.set(name, [...(declarations.get(name) ?? []), node]);
  const protectedMembers: string[] = [];
  for (const node of source.statements) {
    if (ts.isVariableStatement(node)) for (const d of node.declarationList.declarations) declare(d.name.getText(source), node);
    else if ('name' in node && node.name && ts.isIdentifier(node.name as ts.Node)) declare((node.name as ts.Identifier).text, node);
    if (ts.isClassDeclaration(node))
      for (const m of node.members) if (hasModifier(m, ts.SyntaxKind.ProtectedKeyword)) protectedMembers.push(`${node.name?.text}.${m.name?.getText(source)}`);
  }
  const reached = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isHidden(node)) return;
    if (ts.isIdentifier(node) && declarations.has(node.text) && !reached.has(node.text)) {
      reached.add(node.text);
      for (const d of declarations.get(node.text)!) ts.forEachChild(d, visit);
    }
    ts.forEachChild(node, visit);
  };
  for (const name of exported) for (const d of declarations.get(name) ?? []) ts.forEachChild(d, visit), reached.add(name);
  return { unreachable: [...declarations.keys()].filter((n) => !reached.has(n)), protectedMembers };
}

async function scaffold(name: string, kind: PluginKind): Promise<string> {
  const made = await scaffoldPlugin({ templateDir, contractFile: contract, targetDir: path.join(root, kind, name), name, kind });
  return made.dir;
}

describe('dist/tracelet.d.ts', () => {
  it('exists (`npm test` builds it before the unit tests)', () => {
    assert.ok(fs.existsSync(contract), 'dist/tracelet.d.ts is missing: run npm run build');
  });

  it('compiles alone: no Node types, no other file', () => {
    assert.deepEqual(diagnostics([contract], { types: [], noLib: false }), []);
  });

  it('exports everything src/core/api.ts exports, so it is not older than the contract', () => {
    const declared = exportedNames(contract);
    const missing = [...exportedNames(path.join(repo, 'src', 'core', 'api.ts'))].filter((n) => !declared.has(n));
    assert.deepEqual(missing, [], 'run npm run build');
    for (const name of [
      'BackendLike',
      'CollectorLike',
      'PluginContext',
      'MetricPoint',
      'PluginMetadataInput',
      'CapabilityContracts',
      'Processor',
      'FileSource',
    ])
      assert.ok(declared.has(name), name);
  });

  it('shows no internal member: protected only where plugin classes extend, no type that only a hidden member names', () => {
    const { unreachable, protectedMembers } = contractSurface(contract, exportedNames(path.join(repo, 'src', 'core', 'api.ts')));
    assert.deepEqual(protectedMembers, ['PluginBase.config', 'PluginBase.context']);
    assert.deepEqual(unreachable, []);
  });

  it('keeps every public member of PluginManager', () => {
    const source = ts.createSourceFile(contract, fs.readFileSync(contract, 'utf8'), ts.ScriptTarget.ES2022, true);
    const manager = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'PluginManager');
    assert.ok(manager, 'PluginManager is declared');
    assert.equal(manager.heritageClauses?.map((h) => h.getText(source)).join(), undefined, 'a base class brings its members into the contract');
    const members = manager.members.filter((m) => !isHidden(m) && m.name).map((m) => m.name!.getText(source));
    assert.deepEqual(members.sort(), [
      'call',
      'capable',
      'checkDependencies',
      'createRunInstance',
      'createRunInstanceOf',
      'discoverPlugins',
      'dispose',
      'getInstance',
      'getPlugin',
      'getPluginByName',
      'getPluginInfo',
      'getStatus',
      'initializePlugin',
      'instanceOf',
      'listPlugins',
      'onDidChangeState',
      'registerPlugin',
      'reloadPackage',
      'resolveDependencies',
      'startPlugin',
      'startPlugins',
      'stopAll',
      'stopPlugin',
      'validateConfig',
    ]);
  });
});

describe('a package made from the template', () => {
  it('type-checks against tracelet.d.ts (JavaScript checked as TypeScript, strict)', async () => {
    const dir = await scaffold('checked', 'both');
    const files = ['backend.js', 'collector.js', 'test/backend.test.js', 'test/collector.test.js'].map((f) => path.join(dir, f));
    const options: ts.CompilerOptions = {
      allowJs: true,
      checkJs: true,
      resolveJsonModule: true,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      types: ['node'],
      typeRoots: [path.join(repo, 'node_modules', '@types')],
    };
    assert.deepEqual(diagnostics(files, options), []);
  });

  for (const kind of ['backend', 'collector', 'both'] as const) {
    it(`(${kind}) passes its own tests with node --test, with nothing installed`, async () => {
      const dir = await scaffold('tested', kind);
      const out = execFileSync(process.execPath, ['--test'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      const files = kind === 'both' ? 2 : 1;
      assert.match(out, new RegExp(`^# pass ${2 * files}$`, 'm'), out);
      assert.match(out, /^# fail 0$/m, out);
    });
  }

  it('holds only the chosen kind, named as the user said, in package.json, the code and the README', async () => {
    const dir = await scaffold('solo', 'collector');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['README.md', 'collector.js', 'package.json', 'test', 'tracelet.d.ts']);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'test')), ['collector.test.js']);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; tracelet: { plugins: Record<string, unknown> } };
    assert.equal(manifest.name, 'tracelet-plugin-solo');
    assert.deepEqual(manifest.tracelet.plugins, {
      solo: { entry: './collector.js:Collector', type: 'collector', capabilities: ['runSampler', 'statusReadout'] },
    });
    assert.match(fs.readFileSync(path.join(dir, 'collector.js'), 'utf8'), /name: 'solo',/);
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    assert.doesNotMatch(readme, /backend\.js|example/);
    assert.equal(fs.readFileSync(path.join(dir, 'tracelet.d.ts'), 'utf8'), fs.readFileSync(contract, 'utf8'));
  });

  it('loads and starts in the plugin manager, its package.json agreeing with getMetadata()', async () => {
    const dir = await scaffold('loaded', 'both');
    const manager = new PluginManager({ pluginPaths: [path.dirname(dir)], env: {}, homeDir: root, storageRoot: root });
    await manager.discoverPlugins();
    const outcomes = await manager.startPlugins({ loaded_backend: {}, loaded_collector: {} });
    assert.deepEqual(outcomes, { loaded_backend: { ok: true, state: 'active' }, loaded_collector: { ok: true, state: 'active' } });
    assert.deepEqual(manager.getPluginInfo('loaded_collector')?.metadata?.capabilities, ['runSampler', 'statusReadout']);
    await manager.stopAll();
  });

  it('is never written over an existing folder', async () => {
    const dir = path.join(root, 'existing');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'mine.txt'), 'keep me');
    await assert.rejects(scaffoldPlugin({ templateDir, contractFile: contract, targetDir: dir, name: 'existing', kind: 'backend' }), { code: 'EEXIST' });
    assert.deepEqual(fs.readdirSync(dir), ['mine.txt']);
  });
});

describe('plugin names', () => {
  it('are the name itself, or <name>_backend and <name>_collector for both', () => {
    assert.deepEqual(pluginNames('csv', 'backend'), { backend: 'csv' });
    assert.deepEqual(pluginNames('csv', 'collector'), { collector: 'csv' });
    assert.deepEqual(pluginNames('csv', 'both'), { backend: 'csv_backend', collector: 'csv_collector' });
  });

  it('follow the metadata rule and are not taken', () => {
    assert.equal(pluginNameProblem('points_to_file', 'backend', ['local']), undefined);
    assert.match(pluginNameProblem('2fast', 'backend', [])!, /^The name "2fast" must start with a letter/);
    assert.match(pluginNameProblem('', 'backend', [])!, /missing/);
    assert.match(pluginNameProblem('my/plugin', 'backend', [])!, /must start with a letter and hold only letters/);
    assert.equal(pluginNameProblem('local', 'backend', ['local']), 'A plugin named "local" is already loaded; choose another name.');
    assert.equal(pluginNameProblem('gpu', 'both', ['gpu_collector']), 'A plugin named "gpu_collector" is already loaded; choose another name.');
  });
});
