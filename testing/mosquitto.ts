import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { waitForPort } from './wait-for-port.js';

/** A real mosquitto broker on a private loopback port, for integration tests. */
export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  /** Stop the broker (SIGTERM) and wait for it to exit. */
  stop(): Promise<void>;
  /** Start it again on the same port, with the same persistence file. */
  start(): Promise<void>;
}

export interface MosquittoOptions {
  /**
   * The whole config, in place of the default loopback listener with persistence: given the port
   * and a directory mosquitto (dropping to its own user) can write.
   */
  readonly config?: (port: number, dir: string) => readonly string[];
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rxv-mosquitto-'));
  // mosquitto started as root drops to the `mosquitto` user: it must be able to save its persistence file.
  chmodSync(dir, 0o777);
  const conf = join(dir, 'mosquitto.conf');
  const lines = options.config?.(port, dir) ?? [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    'autosave_interval 1',
    'log_dest none',
  ];
  writeFileSync(conf, [...lines, ''].join('\n'));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    // A spawn failure or an early exit ends start() at once, instead of a 10 s wait for the port.
    let onError: (err: Error) => void = () => {};
    let onExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      onError = (err) =>
        reject(
          new Error(`cannot start mosquitto (${bin}): ${err.message}. Install it: apt-get install mosquitto`),
        );
      onExit = (code, signal) =>
        reject(
          new Error(
            `mosquitto (${bin}) exited before listening on 127.0.0.1:${port} (${signal ?? `exit code ${code}`})` +
              `${stderr.trim() ? `: ${stderr.trim()}` : ''}; config: ${conf}`,
          ),
        );
    });
    proc.once('error', onError);
    proc.once('close', onExit);
    const polling = { stopped: false };
    try {
      await Promise.race([waitForPort(port, 10_000, 'mosquitto', polling), failed]);
    } catch (err) {
      // Never leave a broker that did not come up running behind the test.
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      child = undefined;
      throw err;
    } finally {
      polling.stopped = true;
      proc.off('error', onError);
      proc.off('close', onExit);
    }
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
  return { port, url: `mqtt://127.0.0.1:${port}`, start, stop };
}
