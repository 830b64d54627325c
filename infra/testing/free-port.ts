// Finds a free TCP port on 127.0.0.1 for servers that cannot listen on port 0 themselves.
import net from 'node:net';

/** Asks the kernel for an unused port, then releases it for the caller to bind. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
