import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

/** Debian's python3 (it has python3-gi); a pyenv python3 on PATH would not. */
const PYTHON = process.env.RXVISION_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'rtsp-camera.py');

/** A real RTSP camera (GStreamer RTSP server) serving a clip as looped, real-time H.264. */
export interface RtspCamera {
  /** `rtsp://[user:password@]127.0.0.1:<port><path>`. */
  readonly url: string;
  readonly port: number;
  /** PID of the running server, or undefined while stopped. */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM, SIGKILL after 3 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and path. */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, no packets flow. */
  pause(): void;
  /** Thaws it (SIGCONT). */
  resume(): void;
}

export interface RtspCameraOptions {
  /** Absolute path of an H.264 MP4 clip, e.g. `sharedPath('videos', 'people-walking-indoor.mp4')`. */
  readonly clip: string;
  /** Mount path, default `/cam`. */
  readonly path?: string;
  readonly port?: number;
  /** With a password: the server requires HTTP basic auth. */
  readonly user?: string;
  readonly password?: string;
}

export async function startRtspCamera(options: RtspCameraOptions): Promise<RtspCamera> {
  const port = options.port ?? (await freePort());
  const path = options.path ?? '/cam';
  const args = [SCRIPT, '--clip', options.clip, '--port', String(port), '--path', path];
  if (options.user !== undefined) args.push('--user', options.user, '--password', options.password ?? '');
  const credentials =
    options.user !== undefined
      ? `${encodeURIComponent(options.user)}:${encodeURIComponent(options.password ?? '')}@`
      : '';
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const started = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        started.kill('SIGKILL');
        reject(new Error(`rtsp-camera did not start within 30 s on port ${port}: ${stderr}`));
      }, 30_000);
      started.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('READY')) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `rtsp-camera exited (${code}) before listening on ${port}: ${stderr}. ` +
              'It needs /usr/bin/python3 with python3-gi and gir1.2-gst-rtsp-server-1.0.',
          ),
        );
      });
      started.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${PYTHON}: ${error.message}`));
      });
    });
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => running.kill('SIGKILL'), 3_000);
      running.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      running.kill('SIGCONT');
      running.kill('SIGTERM');
    });
  };

  await start();
  return {
    url: `rtsp://${credentials}127.0.0.1:${port}${path}`,
    port,
    get pid() {
      return child?.pid;
    },
    stop,
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
  };
}
