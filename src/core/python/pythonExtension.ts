// The Python extension's (ms-python.python) public environments API, as far as Tracelet uses it. Duck-typed:
// the adapter hands over the extension's exports, and tests hand over a stand-in with the same shape.

interface EnvironmentPath {
  id?: string;
  path?: string;
}
interface ResolvedEnvironment {
  executable?: { uri?: { fsPath?: string } | undefined; sysPrefix?: string };
}
export interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: unknown): EnvironmentPath | undefined;
    resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
  };
}

/** The executable of the environment the Python extension has selected (for `resource`, a folder), or undefined. */
export async function selectedInterpreter(api: unknown, resource?: unknown): Promise<string | undefined> {
  const environments = (api as PythonExtensionApi | undefined)?.environments;
  if (!environments || typeof environments.getActiveEnvironmentPath !== 'function') return undefined;
  const active = environments.getActiveEnvironmentPath(resource);
  if (!active) return undefined;
  const resolved = typeof environments.resolveEnvironment === 'function' ? await environments.resolveEnvironment(active) : undefined;
  return resolved?.executable?.uri?.fsPath ?? active.path;
}
