// Pure (no VS Code): a plugin's lines from the Tracelet log, which prefixes them with `[name]`.
import { escapeRegExp } from '../../core/escapeRegExp';

/** Lines written by or about the plugin: its own `[name]` lines and the manager's `plugin "name"` messages. */
export function pluginLogLines(log: string, name: string): string[] {
  const own = new RegExp(`\\[${escapeRegExp(name)}\\]|plugin "${escapeRegExp(name)}"`);
  return log.split(/\r?\n/).filter((line) => line !== '' && own.test(line));
}

export function pluginLogDocument(log: string | undefined, name: string, logFile: string): string {
  if (log === undefined) return `No Tracelet log file was found at ${logFile}.\nUse "Tracelet: Open Logs" to see the output channel.\n`;
  const lines = pluginLogLines(log, name);
  const header = `# ${name}: ${lines.length} line${lines.length === 1 ? '' : 's'} from the Tracelet log (${logFile})`;
  return `${[header, ...(lines.length > 0 ? lines : ['(nothing logged for this plugin yet)'])].join('\n')}\n`;
}
