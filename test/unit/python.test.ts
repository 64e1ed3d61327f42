import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkDependencies } from '../../src/core/dependencyCheck';
import { normaliseMetadata } from '../../src/core/metadata';
import { resolveInterpreter, type InterpreterProbes } from '../../src/core/python/interpreter';
import { satisfiesPep440 } from '../../src/core/python/pep440';
import { checkPythonDependencies, parsePythonDependency, PROBE_SCRIPT } from '../../src/core/python/pythonDependencies';
import { selectedInterpreter } from '../../src/core/python/pythonExtension';

describe('PEP 440 specifiers', () => {
  const cases: [string, string, boolean][] = [
    ['0.17.0', '>=0.17', true],
    ['0.16.2', '>=0.17', false],
    ['0.17.0rc1', '>=0.17', false],
    ['0.17.0rc1', '>=0.17.0rc1', true],
    ['0.17.0.dev3', '>=0.17.0.dev1', true],
    ['0.17.0.post1', '>0.17.0', false],
    ['0.17.1', '>0.17.0', true],
    ['0.17.0.post1', '>=0.17.0', true],
    ['1.4.5', '~=1.4.2', true],
    ['1.5.0', '~=1.4.2', false],
    ['2.1.12', '==2.1.*', true],
    ['2.2.0', '!=2.1.*', true],
    ['3.29.1', '>=3.0,<4', true],
    ['4.0.0a1', '<4', false],
    ['1!0.1', '>=2.0', true],
    ['0.31.0+local.1', '==0.31.0', true],
    ['1.0-1', '==1.0.post1', true],
    ['1.0', '===1.0', true],
    ['anything', '>=0', false],
  ];
  for (const [version, spec, want] of cases) it(`${version} ${spec} → ${want}`, () => assert.equal(satisfiesPep440(version, spec), want));
});

describe('Python dependencies in plugin metadata', () => {
  it('parses python:name and specifier, and the npm check leaves them to the plugin', () => {
    assert.deepEqual(parsePythonDependency('python:wandb>=0.17'), { raw: 'python:wandb>=0.17', name: 'wandb', specifier: '>=0.17' });
    assert.deepEqual(parsePythonDependency('python:aim'), { raw: 'python:aim', name: 'aim', specifier: '' });
    assert.throws(() => parsePythonDependency('python:>=1'), /is not of the form "python:name>=1.0"/);
    const metadata = normaliseMetadata({ name: 'x', version: '1.0.0', pluginType: 'backend', dependencies: ['python:wandb>=0.17', 'semver>=7'] });
    const report = checkDependencies(metadata, path.join(__dirname, '..', '..'), () => undefined);
    assert.deepEqual(report, { ok: true, missing: [], incompatible: [] });
  });

  it('names what was found where, what is needed and the pip command', async () => {
    const deps = ['python:wandb>=0.17', 'python:aim>=3.0'].map(parsePythonDependency);
    const seen: string[][] = [];
    const result = await checkPythonDependencies('/opt/py 3/bin/python', deps, async (file, args) => {
      seen.push([file, ...args]);
      return {
        code: 0,
        stderr: '',
        stdout: JSON.stringify({ python: '3.11.7', executable: file, packages: { wandb: { version: '0.16.2', ok: false }, aim: { version: null, ok: null } } }),
      };
    });
    assert.equal(seen[0]![1], '-c');
    assert.equal(seen[0]![2], PROBE_SCRIPT);
    assert.deepEqual(
      result.problems.map((p) => p.reason),
      [
        "wandb 0.16.2 found in /opt/py 3/bin/python, >=0.17 needed: '/opt/py 3/bin/python' -m pip install 'wandb>=0.17'",
        "aim is not installed in /opt/py 3/bin/python; >=3.0 needed: '/opt/py 3/bin/python' -m pip install 'aim>=3.0'",
      ],
    );
    assert.equal(result.problems[0]!.fix, "'/opt/py 3/bin/python' -m pip install 'wandb>=0.17'");
  });

  it('checks PEP 440 itself when the interpreter has no packaging, and reports an interpreter that fails', async () => {
    const deps = [parsePythonDependency('python:wandb>=0.17')];
    const noPackaging = await checkPythonDependencies('py', deps, async () => ({
      code: 0,
      stderr: '',
      stdout: JSON.stringify({ python: '3.9', executable: 'py', packages: { wandb: { version: '0.17.0rc2', ok: null } } }),
    }));
    assert.match(noPackaging.problems[0]!.reason, /^wandb 0\.17\.0rc2 found in py, >=0\.17 needed/);
    const broken = await checkPythonDependencies('py', deps, async () => ({ code: 1, stderr: 'Traceback…\nSyntaxError: invalid syntax', stdout: '' }));
    assert.match(broken.problems[0]!.reason, /^py could not be asked for its packages: SyntaxError: invalid syntax$/);
  });
});

describe('which Python a bridge uses', () => {
  const files = new Set(['/usr/bin/python3', '/ws/.venv/bin/python', '/ext/env/bin/python', '/opt/py/bin/python']);
  const probes = (over: Partial<InterpreterProbes>): InterpreterProbes => ({
    setting: () => undefined,
    pythonExtension: async () => undefined,
    trusted: true,
    workspaceFolders: ['/ws'],
    isFile: (f) => files.has(f),
    which: (c) => (c === 'python3' ? '/usr/bin/python3' : undefined),
    platform: 'linux',
    ...over,
  });

  it('takes the setting, then the Python extension, then the workspace venv, then PATH', async () => {
    assert.deepEqual(await resolveInterpreter(probes({ setting: () => '/opt/py/bin/python', pythonExtension: async () => '/ext/env/bin/python' })), {
      ok: true,
      interpreter: { path: '/opt/py/bin/python', source: 'tracelet.python.interpreter' },
    });
    assert.deepEqual(await resolveInterpreter(probes({ pythonExtension: async () => '/ext/env/bin/python' })), {
      ok: true,
      interpreter: { path: '/ext/env/bin/python', source: 'Python extension' },
    });
    assert.deepEqual(await resolveInterpreter(probes({})), {
      ok: true,
      interpreter: { path: '/ws/.venv/bin/python', source: 'workspace virtual environment' },
    });
    assert.deepEqual(await resolveInterpreter(probes({ workspaceFolders: [] })), { ok: true, interpreter: { path: '/usr/bin/python3', source: 'PATH' } });
  });

  it('in an untrusted folder follows neither the Python extension nor the folder venv', async () => {
    const got = await resolveInterpreter(probes({ trusted: false, pythonExtension: async () => '/ext/env/bin/python' }));
    assert.deepEqual(got, { ok: true, interpreter: { path: '/usr/bin/python3', source: 'PATH' } });
  });

  it('says what to do when there is none, or the setting names no file', async () => {
    const none = await resolveInterpreter(probes({ workspaceFolders: [], which: () => undefined }));
    assert.deepEqual(none, {
      ok: false,
      problem: 'no Python found: set tracelet.python.interpreter, select one in the Python extension, create a .venv in the workspace, or put python3 on PATH',
    });
    const wrong = await resolveInterpreter(probes({ setting: () => '/nope/python' }));
    assert.deepEqual(wrong, { ok: false, problem: 'tracelet.python.interpreter is "/nope/python", which is not a file; fix the setting or clear it' });
  });

  it("reads the Python extension's selection through its environments API (a stand-in with the same shape)", async () => {
    const standIn = {
      environments: {
        getActiveEnvironmentPath: (resource?: unknown) => ({ id: 'env', path: resource === 'ws' ? '/ext/env' : '/other' }),
        resolveEnvironment: async (env: { path?: string } | string) => ({
          executable: { uri: { fsPath: `${typeof env === 'string' ? env : env.path}/bin/python` } },
        }),
      },
    };
    assert.equal(await selectedInterpreter(standIn, 'ws'), '/ext/env/bin/python');
    assert.equal(await selectedInterpreter({}, 'ws'), undefined);
    assert.equal(await selectedInterpreter(undefined), undefined);
  });
});
