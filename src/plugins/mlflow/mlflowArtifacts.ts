import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MlflowHttp } from './mlflowHttp';

/**
 * The run's folder on the artifact proxy: `mlflow-artifacts:/1/<run>/artifacts` (or
 * `mlflow-artifacts://host/1/<run>/artifacts`) becomes `1/<run>/artifacts`. Any other
 * store (s3://, a local path) is not reachable through the tracking server.
 */
export function proxyArtifactRoot(artifactUri: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (!match) {
    throw new Error(
      `mlflow logArtifact: the run's artifact store is ${artifactUri}, which the tracking server does not proxy; start the server with --serve-artifacts (the default) and --artifacts-destination`,
    );
  }
  return match[1]!.replace(/\/+$/, '');
}

/** A relative artifact path with forward slashes; `..` would leave the run's folder. */
export function cleanArtifactPath(p: string): string {
  const segments = p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new Error(`mlflow logArtifact: artifact path "${p}" may not contain ".."`);
  if (segments.length === 0) throw new Error(`mlflow logArtifact: artifact path "${p}" is empty`);
  return segments.join('/');
}

/**
 * Uploads a file, or every file under a folder, one PUT each. `artifactPath` is where
 * it goes in the run (like the local backend); by default its base name. Returns the
 * number of files sent.
 */
export async function uploadArtifacts(http: MlflowHttp, root: string, localPath: string, artifactPath?: string): Promise<number> {
  const target = cleanArtifactPath(artifactPath ?? path.basename(path.resolve(localPath)));
  const stat = await fs.promises.stat(localPath);
  if (!stat.isDirectory()) {
    await http.putArtifact(`${root}/${target}`, fs.createReadStream(localPath), stat.size);
    return 1;
  }
  let count = 0;
  for (const entry of await fs.promises.readdir(localPath, { withFileTypes: true })) {
    if (entry.isDirectory() || entry.isFile()) count += await uploadArtifacts(http, root, path.join(localPath, entry.name), `${target}/${entry.name}`);
  }
  return count;
}
