import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP listener on 127.0.0.1 that records every request (headers and body) and answers 503:
 * the server a hostile workspace points a backend at, to see what would reach it.
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<RecordingServer> {
    const server = http.createServer();
    const recorder = new RecordingServer(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        recorder.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error_code":"TEMPORARILY_UNAVAILABLE","message":"recording only"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return recorder;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Everything received, as one string: to search for a secret. */
  everything(): string {
    return this.requests.map((r) => `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
