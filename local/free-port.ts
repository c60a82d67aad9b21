import { createServer, type Server } from 'node:net';

const listenOnAnyPort = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });

/**
 * `count` distinct ports nothing listens on right now (the e2e harness runs the twin on free
 * ports). All are held open until every one is chosen, so the same port is never picked twice.
 */
export const freePortList = async (count: number): Promise<number[]> => {
  const servers = await Promise.all(Array.from({ length: count }, listenOnAnyPort));
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
};

export const freePort = async (): Promise<number> => {
  const [port] = await freePortList(1);
  return port ?? 0;
};
