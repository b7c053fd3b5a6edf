/**
 * The HTTP server an Express app listens on, with its requests and responses
 * born with the app's prototypes.
 *
 * Express gives every request and response the app's own prototypes when it
 * arrives (`Object.setPrototypeOf(req, app.request)` in `app.handle`). Changing
 * an object's prototype after it is built moves it off V8's fast paths for the
 * rest of its life, in Express and in Node's own http code alike. Node lets a
 * server choose the classes it builds requests and responses from; here they
 * are built with `app.request` / `app.response` as their prototypes from the
 * start, so Express's step finds nothing to change. On this project's machine a
 * bare Express route answers 10,600 requests/s instead of 4,800 (docs/performance.md).
 *
 * Node's `IncomingMessage` and `ServerResponse` are plain constructor functions
 * in Node 20, this project's runtime. Should another Node make them classes, or
 * otherwise refuse to be called without `new` (tried when the server is made,
 * on a throwaway pair), this falls back to the default server: slower, the
 * same behaviour.
 */
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import { Socket as NetSocket, type Socket } from 'node:net';
import type { Express } from 'express';

type Construct<T> = (this: T, ...args: unknown[]) => void;

/** Whether a constructor is an ES class, which cannot be called without `new`. */
export const isClass = (f: unknown) => /^class\b/.test(Function.prototype.toString.call(f));

const incoming = IncomingMessage as unknown as Construct<IncomingMessage>;
const outgoing = ServerResponse as unknown as Construct<ServerResponse>;

/**
 * Can this Node's request and response constructors be called on an object of our making? Not when they are
 * classes, nor when they insist on `new` some other way: tried once on a throwaway pair (no connection is made).
 */
function constructorsCallable(): boolean {
  if (isClass(IncomingMessage) || isClass(ServerResponse)) return false;
  try {
    const req = Object.create(IncomingMessage.prototype) as IncomingMessage;
    incoming.call(req, new NetSocket());
    outgoing.call(Object.create(ServerResponse.prototype) as ServerResponse, req);
    return true;
  } catch {
    return false;
  }
}

export function createHttpServer(app: Express): Server {
  if (!constructorsCallable()) return createServer(app);
  function Request(this: IncomingMessage, socket: Socket) {
    incoming.call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: ServerResponse, ...args: unknown[]) {
    outgoing.apply(this, args);
  }
  Response.prototype = app.response;
  return createServer({ IncomingMessage: Request as unknown as typeof IncomingMessage, ServerResponse: Response as unknown as typeof ServerResponse }, app);
}

/** Listen on `port` and `host`; resolves once listening, rejects on a listen error (port in use, ...). */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = createHttpServer(app);
    server.on('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
