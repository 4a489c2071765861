import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { waitForPort } from './wait-for-port.js';

/** A real `nats-server -js` on a private loopback port, for integration tests. */
export interface NatsServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same JetStream store. */
  start(): Promise<void>;
}

export async function startNatsServer(): Promise<NatsServer> {
  const bin = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'rxv-nats-'));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const proc = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', (err) =>
        reject(
          new Error(
            `cannot start nats-server (${bin}): ${err.message}. Install it: apt-get install nats-server`,
          ),
        ),
      );
      proc.once('exit', (code, signal) =>
        reject(
          new Error(
            `nats-server exited before listening (${signal ?? `exit code ${code}`}): ${stderr.trim()}`,
          ),
        ),
      );
    });
    failed.catch(() => {});
    await Promise.race([waitForPort(port, 10_000, 'nats-server'), failed]);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return { port, url: `nats://127.0.0.1:${port}`, start, stop };
}
