import { type ClientRequest, type IncomingMessage } from 'node:http';
import { type Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import { type Socket } from 'node:net';

/** The one function fabric-ca-client calls on its HTTP module. */
export interface CaHttpModule {
  /** Starts one request, as `https.request` does. */
  request(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest;
}

/**
 * The HTTPS module to give fabric-ca-client: its requests go through the
 * given agent, and the socket `timeout` listener the package adds to each
 * request is taken off again when the request ends.
 *
 * Why: fabric-ca-client 2.2.20 takes no agent (so every client shares Node's
 * global one) and on every request adds a `timeout` listener to the socket
 * that it never removes. Node's agents keep sockets alive since Node 19, so
 * one socket collects a listener, and the request it closes over, per call:
 * MaxListenersExceededWarning after ten calls, memory after thousands.
 */
export function caHttps(agent: Agent): CaHttpModule {
  return {
    request(options, callback) {
      const request = httpsRequest({ ...options, agent }, callback);
      request.once('socket', (socket: Socket) => {
        removeAddedOnClose(request, socket);
      });
      return request;
    },
  };
}

// This handler runs first (it was added first), so the package's own
// `socket` handler runs right after it in the same emit: what it adds is
// known once the current task's microtasks run.
function removeAddedOnClose(request: ClientRequest, socket: Socket): void {
  const before = new Set(socket.listeners('timeout'));
  queueMicrotask(() => {
    const added = socket.listeners('timeout').filter((listener) => !before.has(listener));
    request.once('close', () => {
      for (const listener of added) {
        socket.off('timeout', listener as (...args: unknown[]) => void);
      }
    });
  });
}
