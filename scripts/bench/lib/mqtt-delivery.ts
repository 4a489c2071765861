import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One `<prefix>/<camera>/detections` message as the subscriber received it. */
export interface Delivery {
  readonly camera: string;
  readonly seq: number;
  /** Frame capture time (ms since the epoch) from the payload's `frame_time`. */
  readonly capturedAt: number;
  /** When the broker handed it to the subscriber (ms since the epoch). */
  readonly receivedAt: number;
}

export interface DeliveryLog {
  readonly deliveries: readonly Delivery[];
  /** Messages that did not parse as a detections payload. */
  readonly malformed: number;
  stop(): Promise<void>;
}

/**
 * A real subscriber in its own process (`mosquitto_sub`), so that receipt times are not delayed
 * by the benchmark's own event loop (onnxruntime-node runs `session.run` on the main thread).
 * `%U` is the receipt time with nanoseconds, on the same wall clock as `Date.now()`.
 */
export async function subscribeDeliveries(port: number, topic: string): Promise<DeliveryLog> {
  const child: ChildProcess = spawn(
    'mosquitto_sub',
    ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', '0', '-F', '%U %p'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const deliveries: Delivery[] = [];
  let malformed = 0;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const space = line.indexOf(' ');
    try {
      const payload = JSON.parse(line.slice(space + 1)) as {
        camera?: string;
        seq?: number;
        frame_time?: number;
      };
      if (typeof payload.frame_time !== 'number' || typeof payload.camera !== 'string') throw new Error();
      deliveries.push({
        camera: payload.camera,
        seq: payload.seq ?? -1,
        capturedAt: payload.frame_time * 1000,
        receivedAt: Number(line.slice(0, space)) * 1000,
      });
    } catch {
      malformed++;
    }
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) =>
      reject(new Error(`cannot run mosquitto_sub (apt-get install mosquitto-clients): ${err.message}`)),
    );
    child.once('spawn', () => resolve());
  });
  // mosquitto_sub has no "subscribed" signal on stdout; give it a moment to connect.
  await new Promise((r) => setTimeout(r, 300));
  return {
    deliveries,
    get malformed() {
      return malformed;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
