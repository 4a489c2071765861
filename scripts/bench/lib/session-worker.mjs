// A worker thread that owns an onnxruntime session and runs it on request, so the main thread's
// event loop stays free during inference. Used by e2e/event-loop.bench.ts to measure the fix
// proposed for onnxruntime-node's synchronous `session.run`, and by lib/raw-beside-decode.ts.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

const { modelPath, batch, provider = 'cpu' } = workerData;
const session = await ort.InferenceSession.create(modelPath, {
  executionProviders: [provider],
  graphOptimizationLevel: 'all',
});
const data = new Float32Array(batch * 3 * 640 * 640).fill(114 / 255);
const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, [batch, 3, 640, 640]) };
await session.run(feeds);
parentPort.on('message', async (message) => {
  if (message === 'close') {
    await session.release();
    parentPort.close();
    return;
  }
  await session.run(feeds);
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');
