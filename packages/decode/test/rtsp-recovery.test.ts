import { afterAll, describe, expect, it } from 'vitest';
import { type RtspCamera, startRtspCamera } from '../../../testing/rtsp-camera.js';
import { sharedPath } from '../../../testing/shared.js';
import { openSource } from '../src/index.js';
import { settleFfmpegChildren } from './ffmpeg-children.js';

const clip = sharedPath('videos', 'people-walking-indoor.mp4');
const CYCLES = Number(process.env.RXVISION_RECOVERY_CYCLES ?? 50);
const RECOVERY_BOUND_MS = 5000;
// Opening the stream alone (probe, then FFmpeg, each an RTSP session on a re-encoding GStreamer server) takes
// ~3–3.5 s here; on a busy shared machine a few openings run past 5 s, so the bound holds for 90 % of them and
// no recovery may take twice it (an uncapped backoff after a 20–30 s outage takes 10–15 s).
const RECOVERY_HARD_BOUND_MS = 8000;
// The steady camera's frames may pause while the machine is busy restarting the other one's FFmpeg, never for long.
const STEADY_GAP_BOUND_MS = 3000;

/** Seeded mulberry32: the same outages on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const cameras: RtspCamera[] = [];
afterAll(async () => {
  await Promise.all(cameras.splice(0).map((camera) => camera.stop()));
  expect(await settleFfmpegChildren()).toEqual([]);
});

describe('live camera recovery with the default reconnect backoff (real GStreamer servers)', () => {
  // The issue asks for outages of 2–30 s; to keep this near 6 minutes, 48 of the 50 are drawn from the
  // low end (about 2–4 s) and the 25th and 50th from 20–30 s (where an uncapped backoff waits 8–16 s).
  it(`picks a restarted camera up within ${RECOVERY_BOUND_MS} ms (90 %; all within ${RECOVERY_HARD_BOUND_MS} ms) ${CYCLES} times, outage 2–30 s (seed 18), while the other camera keeps streaming`, async () => {
    const flaky = await startRtspCamera({ clip, path: '/flaky' });
    cameras.push(flaky);
    const steady = await startRtspCamera({ clip, path: '/steady' });
    cameras.push(steady);
    // Default reconnect backoff (the point of the test); fps 5 keeps two decoders light on a small box.
    const flakySource = openSource({
      url: flaky.url,
      streamId: 'flaky',
      fps: 5,
      size: { width: 320, height: 180 },
    });
    const steadySource = openSource({
      url: steady.url,
      streamId: 'steady',
      fps: 5,
      size: { width: 320, height: 180 },
    });
    let flakyFrameAt = 0;
    let steadyFrameAt = 0;
    let steadyMaxGap = 0;
    const subscriptions = [
      flakySource.frames$.subscribe(() => {
        flakyFrameAt = Date.now();
      }),
      steadySource.frames$.subscribe(() => {
        const now = Date.now();
        if (steadyFrameAt > 0) steadyMaxGap = Math.max(steadyMaxGap, now - steadyFrameAt);
        steadyFrameAt = now;
      }),
    ];
    const random = rng(18);
    const recoveries: number[] = [];
    const outages: number[] = [];
    try {
      const waitFrameAfter = async (since: number, ms: number): Promise<number> => {
        const deadline = Date.now() + ms;
        while (flakyFrameAt <= since && Date.now() < deadline) await sleep(20);
        return flakyFrameAt > since ? flakyFrameAt - since : Number.POSITIVE_INFINITY;
      };
      expect(await waitFrameAfter(0, 30_000)).toBeLessThan(Number.POSITIVE_INFINITY);
      steadyMaxGap = 0;
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        // The server's own start (~1 s) adds to the sleep: outages (kill → serving again) of about 2–4 s, or 20–30 s.
        const downMs = cycle % 25 === 0 ? 19_000 + random() * 10_000 : 1800 + random() * 2000;
        const killedAt = Date.now();
        if (flaky.pid) process.kill(flaky.pid, 'SIGKILL');
        await flaky.stop();
        await sleep(downMs);
        await flaky.start();
        const backAt = Date.now();
        outages.push(backAt - killedAt);
        const recovery = await waitFrameAfter(backAt, 20_000);
        recoveries.push(recovery);
        process.stderr.write(
          `cycle ${cycle}: down ${backAt - killedAt} ms, first frame ${recovery} ms after the server was back\n`,
        );
        await sleep(300 + random() * 500);
      }
    } finally {
      for (const subscription of subscriptions) subscription.unsubscribe();
    }
    const sorted = [...recoveries].sort((a, b) => a - b);
    const figures = {
      recoveries: recoveries.filter(Number.isFinite).length,
      cycles: CYCLES,
      outageMs: { min: Math.min(...outages), max: Math.max(...outages) },
      recoveryMs: { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted.at(-1) ?? 0 },
      overBound: recoveries.filter((ms) => ms > RECOVERY_BOUND_MS).length,
      steadyMaxGapMs: steadyMaxGap,
      flakyReconnects: flakySource.stats().reconnects,
      steadyReconnects: steadySource.stats().reconnects,
    };
    console.log(`live recovery figures: ${JSON.stringify(figures)}`);
    expect(figures.recoveries).toBe(CYCLES);
    expect(figures.outageMs.min).toBeGreaterThanOrEqual(2000);
    expect(figures.recoveryMs.p90).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    expect(figures.recoveryMs.max).toBeLessThanOrEqual(RECOVERY_HARD_BOUND_MS);
    expect(steadyMaxGap).toBeLessThanOrEqual(STEADY_GAP_BOUND_MS);
    expect(figures.steadyReconnects).toBe(0);
  }, 600_000);
});
