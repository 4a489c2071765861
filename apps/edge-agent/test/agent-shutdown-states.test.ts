import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, startAgent, waitFor } from './helpers/agent-process.js';

const MODEL = sharedPath('models', 'yolov5s-coco-640.onnx');
const CLIP = sharedPath('videos', 'people-walking-indoor.mp4');
const dir = mkdtempSync(join(tmpdir(), 'rxv-shutdown-'));
let agent: AgentProcess | undefined;

afterEach(() => agent?.kill('SIGKILL'));

/** Sends `signal` once `ready` appears in the log, and returns how the process ended and how fast. */
async function stopWhen(
  running: AgentProcess,
  ready: RegExp,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; ms: number; log: string }> {
  await waitFor(`${ready} in the log`, () => (ready.test(running.stderr()) ? true : undefined), 90_000);
  const sent = Date.now();
  running.kill(signal);
  const code = await Promise.race([
    running.exited,
    new Promise<'late'>((r) => setTimeout(() => r('late'), 15_000)),
  ]);
  const ms = Date.now() - sent;
  return { code: code === 'late' ? null : code, ms, log: running.stderr().slice(-3000) };
}

describe('SIGINT/SIGTERM end the agent within 10 s, exit 0, in every state (real agent process)', () => {
  it('while a camera is offline and reconnecting with backoff', async () => {
    const port = await freePort();
    agent = startAgent([
      'run',
      '--source',
      `gate=rtsp://127.0.0.1:${port}/none`,
      '--model',
      MODEL,
      '--http',
      '127.0.0.1:0',
    ]);
    // Offline and waiting to reconnect (the TCP probe holds a refused camera between attempts).
    const end = await stopWhen(agent, /"msg":"camera offline"/);
    expect(end.code, end.log).toBe(0);
    expect(end.ms, end.log).toBeLessThan(10_000);
  }, 120_000);

  it('while the detector fails to load in ONNX Runtime and the camera restarts', async () => {
    // A valid ModelProto head (ir_version 7) over a graph ONNX Runtime cannot parse: validate lets it
    // through (its header is ONNX and complete); loading it fails at run time.
    const broken = join(dir, 'broken.onnx');
    writeFileSync(broken, Buffer.from([0x08, 0x07, 0x3a, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    agent = startAgent(['run', '--source', `hall=${CLIP}`, '--model', broken, '--http', '127.0.0.1:0']);
    const end = await stopWhen(agent, /camera pipeline failed; restarting.*"attempt":2/s, 'SIGINT');
    expect(end.code, end.log).toBe(0);
    expect(end.ms, end.log).toBeLessThan(10_000);
  }, 120_000);

  it('while the MQTT broker is down', async () => {
    const broker = await startMosquitto();
    const url = broker.url;
    await broker.stop();
    agent = startAgent([
      'run',
      '--source',
      `hall=${CLIP}`,
      '--model',
      MODEL,
      '--mqtt',
      url,
      '--fps',
      '2',
      '--http',
      '127.0.0.1:0',
    ]);
    const end = await stopWhen(agent, /"msg":"camera online"/);
    expect(end.code, end.log).toBe(0);
    expect(end.ms, end.log).toBeLessThan(10_000);
  }, 120_000);

  it('while the restream encoder ignores its end and SIGTERM (killed after a grace period)', async () => {
    // FFmpeg as the agent finds it, except the restream encoder (raw frames in, FLV out): that one
    // ignores SIGTERM and never reads, as a wedged hardware encoder does.
    const ffmpeg = join(dir, 'ffmpeg');
    writeFileSync(
      ffmpeg,
      '#!/bin/sh\ncase "$*" in *"-f flv pipe:1"*) trap "" TERM INT; exec sleep 613;; esac\nexec /usr/bin/ffmpeg "$@"\n',
    );
    chmodSync(ffmpeg, 0o755);
    const config = join(dir, 'restream.yml');
    writeFileSync(
      config,
      `rtsp: { listen: 127.0.0.1:0 }\ndetectors: { default: { model: ${MODEL} } }\ncameras:\n  hall:\n    url: ${CLIP}\n    fps: 2\n    restream: true\n`,
    );
    agent = startAgent(['run', '--config', config, '--http', '127.0.0.1:0'], { FFMPEG_PATH: ffmpeg });
    await waitFor('the wedged encoder', () => (wedgedEncoders() > 0 ? true : undefined), 60_000);
    const end = await stopWhen(agent, /"msg":"camera online"/);
    expect(end.code, end.log).toBe(0);
    expect(end.ms, end.log).toBeLessThan(10_000);
    expect(wedgedEncoders(), end.log).toBe(0);
  }, 120_000);
});

/** Processes running the stand-in encoder (`sleep 613`). */
function wedgedEncoders(): number {
  return readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\u0000613\u0000';
    } catch {
      return false;
    }
  }).length;
}
