// Binds a local stand-in's HTTP server to the loopback interface and closes it completely.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A bound server: its port, and a close that also ends idle keep-alive connections. */
export interface Listening {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port` (0 = any free port); rejects with the bind error (e.g. EADDRINUSE)
 * so that a stack start fails naming the port instead of hanging.
 */
export async function listenLocal(server: Server, port: number): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
