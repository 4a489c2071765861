import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '@rxvision/decode';
import { encodeOnnxModel, OnnxDataType, OnnxGraphBuilder } from '@rxvision/models';
import { describe, expect, it } from 'vitest';
import { openCapiSession } from '../src/backends/onnxruntime-capi/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MiB = 2 ** 20;
const rss = () => {
  gc();
  return process.memoryUsage().rss;
};

describe('C API session: native memory', () => {
  it('2,000 runs of a small model leave RSS where it was (every OrtValue, shape and status released)', async () => {
    // 1x3x160x160 float32 in and out: 300 KiB per run, so a leaked output value would cost ~600 MiB.
    const dir = mkdtempSync(join(tmpdir(), 'capi-memory-'));
    const model = join(dir, 'relu.onnx');
    writeFileSync(model, reluModel());
    const session = await openCapiSession(model, ['cpu'], silentLogger);
    const data = new Float32Array(3 * 160 * 160).map((_, i) => (i % 7) - 3);
    const run = () => session.run('x', { type: 'float32', dims: [1, 3, 160, 160], data }, ['y']);
    for (let i = 0; i < 200; i++) await run(); // arenas and koffi's pools reach their steady size
    const before = rss();
    const started = performance.now();
    let last: Awaited<ReturnType<typeof run>> | undefined;
    for (let i = 0; i < 2000; i++) last = await run();
    const seconds = (performance.now() - started) / 1000;
    const after = rss();
    await session.release();
    console.log(
      `capi memory: 2000 runs in ${seconds.toFixed(1)} s; RSS before ${(before / MiB).toFixed(1)} MiB, after ${(after / MiB).toFixed(1)} MiB (${((after - before) / MiB).toFixed(1)} MiB)`,
    );
    const y = last!.outputs.y!.data as Float32Array;
    expect([y[0], y[3], y[4], y[6]]).toEqual([0, 0, 1, 3]);
    expect(after - before).toBeLessThan(24 * MiB);
  });

  it('a model that fails to load frees what it allocated (500 failed opens)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capi-memory-'));
    const bad = join(dir, 'bad.onnx');
    writeFileSync(bad, new Uint8Array(4096).fill(7));
    const fail = () => openCapiSession(bad, ['cuda', 'cpu'], silentLogger).catch(() => {});
    for (let i = 0; i < 50; i++) await fail();
    const before = rss();
    for (let i = 0; i < 500; i++) await fail();
    const after = rss();
    console.log(
      `capi memory: 500 failed opens; RSS before ${(before / MiB).toFixed(1)} MiB, after ${(after / MiB).toFixed(1)} MiB`,
    );
    expect(after - before).toBeLessThan(16 * MiB);
  });
});

/** `y = Relu(x)` over a dynamic batch of 3×160×160 float32. */
function reluModel(): Uint8Array {
  const b = new OnnxGraphBuilder();
  b.node('Relu', ['x'], 'y');
  const { FLOAT } = OnnxDataType;
  return encodeOnnxModel(
    b.model({
      inputs: [{ name: 'x', elemType: FLOAT, dims: ['n', 3, 160, 160] }],
      outputs: [{ name: 'y', elemType: FLOAT, dims: ['n', 3, 160, 160] }],
    }),
  );
}
