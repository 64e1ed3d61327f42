import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { errorFromResponse, MlflowError } from './mlflowError';

export interface MlflowHttpOptions {
  /** The tracking server, e.g. `http://127.0.0.1:5000` or `https://host/mlflow`. */
  trackingUri: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** False accepts self-signed certificates (https only). */
  verifyTls: boolean;
  /** How long one request may go without an answer. */
  timeoutMs: number;
}

interface Reply {
  status: number;
  body: string;
}

type Body = { kind: 'none' } | { kind: 'buffer'; data: Buffer; type: string } | { kind: 'stream'; data: Readable; length: number };

/**
 * The REST transport: node:http(s) with one keep-alive agent per backend instance, so
 * that `verifyTls: false` applies to this server only and sockets are reused across
 * batches. Every failure is an MlflowError naming the call.
 */
export class MlflowHttp {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(private readonly options: MlflowHttpOptions) {
    this.base = new URL(options.trackingUri);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new Error(`mlflow: trackingUri must start with http:// or https://, not ${this.base.protocol}`);
    }
    this.transport = this.base.protocol === 'https:' ? https : http;
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: options.verifyTls })
        : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  get origin(): string {
    return this.base.origin;
  }

  /** GET `/api/2.0/mlflow/<call>?query`, parsed. */
  async get<T>(call: string, query: Record<string, string>): Promise<T> {
    const url = this.url(`/api/2.0/mlflow/${call}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return parse<T>(call, await this.send(call, 'GET', url, { kind: 'none' }, true));
  }

  /** POST `/api/2.0/mlflow/<call>` with a JSON body (an object, or text already serialised). */
  async post<T>(call: string, payload: unknown, retryOnStaleSocket = true): Promise<T> {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const body: Body = { kind: 'buffer', data: Buffer.from(text, 'utf8'), type: 'application/json' };
    return parse<T>(call, await this.send(call, 'POST', this.url(`/api/2.0/mlflow/${call}`), body, retryOnStaleSocket));
  }

  /** PUT raw bytes to the artifact proxy: `/api/2.0/mlflow-artifacts/artifacts/<path>`. */
  async putArtifact(artifactPath: string, data: Readable, length: number): Promise<void> {
    const encoded = artifactPath.split('/').map(encodeURIComponent).join('/');
    await this.send('artifacts PUT', 'PUT', this.url(`/api/2.0/mlflow-artifacts/artifacts/${encoded}`), { kind: 'stream', data, length }, false);
  }

  dispose(): void {
    this.agent.destroy();
  }

  private url(apiPath: string): URL {
    const url = new URL(this.base.href);
    url.pathname = url.pathname.replace(/\/+$/, '') + apiPath;
    url.search = '';
    return url;
  }

  private async send(call: string, method: string, url: URL, body: Body, retryOnStaleSocket: boolean): Promise<Reply> {
    try {
      return await this.once(call, method, url, body);
    } catch (err) {
      // A keep-alive socket the server closed (e.g. it restarted) fails at once; one more try on a fresh socket.
      if (!(err instanceof StaleSocketError)) throw err;
      if (!retryOnStaleSocket) throw err.error;
      return this.once(call, method, url, body);
    }
  }

  private once(call: string, method: string, url: URL, body: Body): Promise<Reply> {
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json', 'user-agent': 'tracelet-vscode' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body.kind === 'buffer') {
      headers['content-type'] = body.type;
      headers['content-length'] = body.data.length;
    } else if (body.kind === 'stream') {
      headers['content-type'] = 'application/octet-stream';
      headers['content-length'] = body.length;
    }
    return new Promise<Reply>((resolve, reject) => {
      const req = this.transport.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => reject(this.networkError(call, err)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status, body: text });
          else reject(errorFromResponse(call, status, text));
        });
      });
      req.setTimeout(this.options.timeoutMs, () =>
        req.destroy(Object.assign(new Error(`no answer within ${this.options.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        const error = this.networkError(call, err);
        reject(req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') ? new StaleSocketError(error) : error);
      });
      if (body.kind === 'buffer') req.end(body.data);
      else if (body.kind === 'stream') {
        body.data.on('error', (err) => req.destroy(err));
        body.data.pipe(req);
      } else req.end();
    });
  }

  private networkError(call: string, err: NodeJS.ErrnoException): MlflowError {
    return new MlflowError(call, 0, err.code ?? 'NETWORK_ERROR', `cannot reach ${this.base.origin}: ${err.message}`);
  }
}

class StaleSocketError extends Error {
  constructor(readonly error: MlflowError) {
    super(error.message);
  }
}

function parse<T>(call: string, reply: Reply): T {
  if (reply.body.trim() === '') return {} as T;
  try {
    return JSON.parse(reply.body) as T;
  } catch {
    throw new MlflowError(call, reply.status, 'BAD_RESPONSE', `the answer is not JSON: ${reply.body.slice(0, 200)}`);
  }
}
