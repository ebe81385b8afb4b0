import { type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CaErrorCode, FabricCaError } from './errors';

/** One HTTPS exchange with Fabric CA. */
export interface CaExchange {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/api/v1/register`. */
  readonly path: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface CaAnswer {
  readonly status: number;
  readonly text: string;
}

export interface TransportOptions {
  readonly url: URL;
  readonly tlsRootCert: string;
  readonly timeoutMs: number;
}

// A Fabric CA answer is a few KB (a CRL of many serials at most); anything far
// larger is not Fabric CA.
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * Sends one request over HTTPS, trusting only the given TLS root, and
 * resolves with whatever status came back. Fails with CA_UNREACHABLE when no
 * answer arrives (connection, TLS or timeout).
 */
export function exchange(options: TransportOptions, call: CaExchange): Promise<CaAnswer> {
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown): void => {
      const reason = cause instanceof Error ? cause.message : String(cause);
      const sentence = `Fabric CA at ${options.url.origin} did not answer ${call.operation}: ${reason}`;
      reject(new FabricCaError(CaErrorCode.unreachable, sentence, { operation: call.operation, cause }));
    };
    const req = httpsRequest(
      {
        protocol: 'https:',
        hostname: options.url.hostname,
        port: options.url.port,
        method: call.method,
        path: call.path,
        ca: options.tlsRootCert,
        timeout: options.timeoutMs,
        headers: { ...call.headers, 'content-length': Buffer.byteLength(call.body) },
      },
      (res) => {
        collect(
          res,
          (text) => {
            resolve({ status: res.statusCode ?? 0, text });
          },
          fail,
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${String(options.timeoutMs)} ms`)));
    req.on('error', fail);
    req.end(call.body);
  });
}

function collect(res: IncomingMessage, done: (text: string) => void, fail: (cause: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      res.destroy(new Error(`answer larger than ${String(MAX_ANSWER_BYTES)} bytes`));
      return;
    }
    chunks.push(chunk);
  });
  res.on('end', () => {
    done(Buffer.concat(chunks).toString('utf8'));
  });
  res.on('error', fail);
}
