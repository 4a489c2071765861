import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import type { InputBuffer } from '../../preprocess.js';
import type { ExecutionProvider } from '../../providers.js';
import type { InputElementType } from '../inference-backend.js';
import { openSession } from './open-session.js';
import { ortTensor } from './ort-tensor.js';

/** What `openWorkerSession` hands the worker when it starts it. */
export interface InferenceWorkerData {
  readonly model: string;
  readonly providers: readonly ExecutionProvider[];
}

/** Main thread → worker. */
export type ToInferenceWorker =
  | {
      readonly type: 'run';
      readonly id: number;
      readonly input: string;
      readonly tensorType: InputElementType;
      readonly dims: readonly number[];
      readonly data: InputBuffer;
      readonly scalars: Readonly<Record<string, number>>;
      readonly fetches: readonly string[];
    }
  | { readonly type: 'release' };

/** A tensor sent across threads: its data's buffer is transferred, not copied. */
export interface WireTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** Worker → main thread. `input` hands the (transferred) input buffer back for the next batch. */
export type FromInferenceWorker =
  | { readonly type: 'log'; readonly level: 'warn' | 'info'; readonly message: string }
  | {
      readonly type: 'opened';
      readonly provider: string;
      readonly skipped: readonly { readonly provider: string; readonly reason: string }[];
      readonly inputMetadata: readonly InferenceSession.ValueMetadata[];
      readonly outputMetadata: readonly InferenceSession.ValueMetadata[];
    }
  | { readonly type: 'open-failed'; readonly message: string }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly input: InputBuffer;
      readonly outputs: Readonly<Record<string, WireTensor>>;
    }
  | {
      readonly type: 'run-failed';
      readonly id: number;
      readonly input: InputBuffer;
      readonly message: string;
    }
  | { readonly type: 'released' };

// Runs onnxruntime's session in this thread so its synchronous `run` never blocks the main event loop.
const port = parentPort;
if (!port) throw new Error('inference-worker.ts must be started as a worker thread (see worker-session.ts)');
const post = (message: FromInferenceWorker, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);
const { model, providers } = workerData as InferenceWorkerData;

let session: InferenceSession | undefined;
try {
  const opened = await openSession(model, (options) => InferenceSession.create(model, options), providers, {
    warn: (message) => post({ type: 'log', level: 'warn', message }),
    info: (message) => post({ type: 'log', level: 'info', message }),
  });
  session = opened.session;
  post({
    type: 'opened',
    provider: opened.provider,
    skipped: opened.skipped,
    inputMetadata: session.inputMetadata,
    outputMetadata: session.outputMetadata,
  });
} catch (error) {
  post({ type: 'open-failed', message: (error as Error).message });
  port.close();
}

port.on('message', async (message: ToInferenceWorker) => {
  if (!session) return;
  if (message.type === 'release') {
    await session.release();
    session = undefined;
    post({ type: 'released' });
    port.close();
    return;
  }
  const input = message.data;
  try {
    const feeds: Record<string, Tensor> = {
      [message.input]: ortTensor(message.tensorType, input, message.dims),
    };
    for (const [name, value] of Object.entries(message.scalars))
      feeds[name] = ortTensor('float32', Float32Array.of(value), [1]);
    const results = await session.run(feeds, [...message.fetches]);
    const outputs: Record<string, WireTensor> = {};
    const transfer = new Set<ArrayBuffer>([input.buffer as ArrayBuffer]);
    for (const [name, tensor] of Object.entries(results)) {
      outputs[name] = { type: tensor.type, dims: tensor.dims, data: tensor.data };
      if (ArrayBuffer.isView(tensor.data) && tensor.data.buffer instanceof ArrayBuffer)
        transfer.add(tensor.data.buffer);
    }
    post({ type: 'result', id: message.id, input, outputs }, [...transfer]);
  } catch (error) {
    post({ type: 'run-failed', id: message.id, input, message: (error as Error).message }, [
      input.buffer as ArrayBuffer,
    ]);
  }
});
