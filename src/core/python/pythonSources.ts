import * as fs from 'node:fs';
import { resolveInterpreter, whichOnPath, type InterpreterResult } from './interpreter';

/** What only the editor knows: the setting and the Python extension's choice. The VS Code adapter sets these. */
export interface PythonSources {
  setting(): string | undefined;
  pythonExtension(): Promise<string | undefined>;
}

let sources: PythonSources = { setting: () => undefined, pythonExtension: async () => undefined };

/** Called by the adapter at activation (and by tests): where plugins' bridges find their Python. */
export function setPythonSources(next: PythonSources): void {
  sources = next;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The interpreter a plugin with this context uses now (resolution order in interpreter.ts). */
export function interpreterFor(context: { trusted?: boolean; workspaceFolders?: readonly string[] }): Promise<InterpreterResult> {
  return resolveInterpreter({
    setting: () => sources.setting(),
    pythonExtension: () => sources.pythonExtension(),
    trusted: context.trusted !== false,
    workspaceFolders: context.workspaceFolders ?? [],
    isFile,
    which: (command) => whichOnPath(command, isFile),
  });
}
