import { createServer, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBrokerOptions {
  /** TCP port. Default 1883, the MQTT port mosquitto and Frigate's docs use. 0 picks a free one. */
  readonly port?: number;
  /** Interface to bind. Default 127.0.0.1: the demo broker takes no logins, so it stays on this machine. */
  readonly host?: string;
}

export interface EmbeddedBroker {
  /** `mqtt://host:port` for MQTT clients (the agent's `mqtt.url`). */
  readonly url: string;
  readonly port: number;
  /** Disconnects every client and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts an in-process MQTT 3.1.1/5 broker (aedes) for the demo, used when no broker is configured, so
 * `mosquitto_sub -t 'rxvision/#' -v` on the same machine shows the agent's events. Anonymous, memory only.
 * Fails with a clear message when the port is taken (often by a mosquitto already running: use that one).
 *
 * ## Example
 * ```ts
 * const broker = await startEmbeddedBroker();
 * // ... publish to broker.url ...
 * await broker.close();
 * ```
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const wanted = options.port ?? 1883;
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `cannot start the embedded MQTT broker: ${host}:${wanted} is already in use (a mosquitto?). ` +
            `Point the agent at that broker with mqtt.url: mqtt://${host}:${wanted}, or stop it.`
        : `cannot start the embedded MQTT broker on ${host}:${wanted}: ${(err as Error).message}`,
    );
  }
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await stopped;
      })();
      return closing;
    },
  };
}
