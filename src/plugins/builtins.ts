import { EnvironmentCollector } from './environment/environmentCollector';
import { GitCollector } from './git/gitCollector';
import { LocalBackend } from './local/localBackend';
import { SystemCollector } from './system/systemCollector';

/** The plugins shipped with the extension, registered like any other on the public contract. */
export const BUILTIN_PLUGINS: readonly unknown[] = [LocalBackend, SystemCollector, GitCollector, EnvironmentCollector];
