/**
 * A failed call to the MLflow server, named by plugin and call so that a log line
 * says where to look: `mlflow runs/log-batch: 400 INVALID_PARAMETER_VALUE: ...`.
 */
export class MlflowError extends Error {
  constructor(
    /** The REST call, e.g. `runs/log-batch` or `artifacts PUT`. */
    readonly call: string,
    /** The HTTP status; 0 when no answer came (refused, reset, timed out). */
    readonly status: number,
    /** MLflow's `error_code` (`INVALID_PARAMETER_VALUE`...), or the network error's code. */
    readonly errorCode: string,
    readonly detail: string,
  ) {
    super(`mlflow ${call}: ${status ? `${status} ` : ''}${errorCode}: ${detail}`);
    this.name = 'MlflowError';
  }

  /** True when repeating the same call later may succeed: no answer, or a 429/5xx. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** Reads MLflow's `{error_code, message}` body; other bodies (a proxy's HTML page) are shortened. */
export function errorFromResponse(call: string, status: number, body: string): MlflowError {
  try {
    const parsed = JSON.parse(body) as { error_code?: unknown; message?: unknown };
    if (typeof parsed.error_code === 'string') {
      return new MlflowError(call, status, parsed.error_code, typeof parsed.message === 'string' ? firstLines(parsed.message) : '');
    }
  } catch {
    // not JSON: fall through
  }
  const text = body.replace(/\s+/g, ' ').trim().slice(0, 300);
  return new MlflowError(call, status, httpCode(status), text || '(empty body)');
}

function httpCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED (check the token)';
  if (status === 403) return 'PERMISSION_DENIED (check the token)';
  if (status === 404) return 'NOT_FOUND (is trackingUri the MLflow server, without /api/...?)';
  return 'HTTP_ERROR';
}

/** The server's SQL errors run to many lines; the first one says what happened. */
function firstLines(message: string): string {
  const lines = message.split('\n');
  return lines.length > 2 ? `${lines.slice(0, 2).join(' ')} ...` : lines.join(' ');
}
