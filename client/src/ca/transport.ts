import { type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CaErrorCode, FabricCaError } from './errors';

/** One HTTPS exchange with Fabric CA. */
export interface CaExchange {
  /** The operation's name for error messages, e.g. `enroll`. */
  readonly operation: string;
  /** HTTP method: GET reads, POST acts, PUT and DELETE change identities. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/api/v1/register`. */
  readonly path: string;
  /** Request body, usually JSON; empty for none. */
  readonly body: string;
  /** Request headers; content-length is added. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Fabric CA's answer, whatever its status: {@link readCaResponse} judges it. */
export interface CaAnswer {
  /** The HTTP status (0 if Node reported none). */
  readonly status: number;
  /** The body as UTF-8 text. */
  readonly text: string;
}

/** Where and how to reach one Fabric CA server. */
export interface TransportOptions {
  /** The server's `https:` URL; only its host and port are used. */
  readonly url: URL;
  /** PEM of the only TLS root trusted for the server's certificate. */
  readonly tlsRootCert: string;
  /** Milliseconds the connection may sit idle before the call fails as CA_UNREACHABLE. */
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
