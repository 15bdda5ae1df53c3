import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/app.config';
import { RedisProbe } from './redis-probe';

const INFO = 'redis_version:7.0.0\r\nloading:0\r\n';

/** Just enough of Redis for a client's handshake and PING, counting the connections it gets. */
async function fakeRedis(): Promise<{ url: string; connections: () => number; stop: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data) => {
      // Each command arrives as a RESP array; its first bulk string is the command name.
      for (const command of data.toString().split('*').slice(1)) {
        const name = command.split('\r\n')[2]?.toUpperCase();
        if (name === 'PING') socket.write('+PONG\r\n');
        else if (name === 'INFO') socket.write(`$${INFO.length}\r\n${INFO}\r\n`);
        else socket.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    connections: () => connections,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe(RedisProbe.name, () => {
  it('answers absent without REDIS_URL', async () => {
    await expect(new RedisProbe(loadConfig({})).ping()).resolves.toBe('absent');
  });

  it('pings over one connection however often it is asked', async () => {
    const redis = await fakeRedis();
    const probe = new RedisProbe(loadConfig({ REDIS_URL: redis.url }));
    try {
      for (let i = 0; i < 5; i++) await expect(probe.ping()).resolves.toBe('up');
      expect(redis.connections()).toBe(1);
    } finally {
      probe.onModuleDestroy();
      await redis.stop();
    }
  });

  it('answers down, quickly, when Redis is unreachable', async () => {
    const redis = await fakeRedis();
    await redis.stop();
    const probe = new RedisProbe(loadConfig({ REDIS_URL: redis.url }));
    const started = Date.now();
    try {
      await expect(probe.ping()).resolves.toBe('down');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      probe.onModuleDestroy();
    }
  });
});
