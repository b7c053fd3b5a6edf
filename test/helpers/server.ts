/**
 * Start the real app on an ephemeral loopback port. Tests that are not about
 * security run as the local single user (every role, no sign-in); the
 * security tests pass `accounts` and no `auth` (or their own strategy).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, type AppOptions } from '../../server/api/app.ts';
import { localSingleUser } from '../../server/api/auth.ts';
import { listen } from '../../server/api/http-server.ts';

export interface RunningServer {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

export async function startServer(options: AppOptions): Promise<RunningServer> {
  const auth = 'auth' in options || options.accounts ? options.auth : localSingleUser;
  const app = createApp({ log: () => {}, ...options, auth });
  // The same server `mtbnet serve` listens on (server/api/http-server.ts).
  const server = await listen(app, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}
