import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@rxvision/decode';
import type { Tensor } from 'onnxruntime-node';
import type { InputBuffer as InputData } from '../../preprocess.js';
import type { ExecutionProvider } from '../../providers.js';
import {
  InferenceRunError,
  type InferenceSessionHandle,
  type InputElementType,
} from '../inference-backend.js';
import type { FromInferenceWorker, InferenceWorkerData, ToInferenceWorker } from './inference-worker.js';
import type { OpenedSession } from './open-session.js';

/** Wraps an `InferenceSession` created on this thread (its `run` blocks the event loop). */
export function mainThreadSession(
  opened: OpenedSession,
  runtimeVersion: string,
  makeTensor: (type: InputElementType, data: InputData, dims: readonly number[]) => Tensor,
): InferenceSessionHandle {
  const { session } = opened;
  return {
    runtime: 'onnxruntime-node',
    runtimeVersion,
    provider: opened.provider,
    skipped: opened.skipped,
    inputMetadata: session.inputMetadata,
    outputMetadata: session.outputMetadata,
    async run(inputName, tensor, fetches, scalars = {}) {
      const feeds: Record<string, Tensor> = {
        [inputName]: makeTensor(tensor.type, tensor.data, tensor.dims),
      };
      for (const [name, value] of Object.entries(scalars))
        feeds[name] = makeTensor('float32', Float32Array.of(value), [1]);
      const outputs = await session.run(feeds, [...fetches]);
      return { outputs, input: tensor.data };
    },
    release: () => session.release(),
  };
}

/**
 * Opens the model in a `worker_threads` worker (same providers, same fallback and warnings) and
 * returns a session whose `run` transfers the input buffer there and the outputs back, so
 * onnxruntime's synchronous inference never blocks this thread's event loop. A worker that dies
 * rejects every pending and later call with the reason, instead of leaving them waiting.
 */
export function openWorkerSession(
  model: string,
  providers: readonly ExecutionProvider[],
  logger: Pick<Logger, 'info' | 'warn'>,
  runtimeVersion: string,
): Promise<InferenceSessionHandle> {
  const workerData: InferenceWorkerData = { model, providers };
  const [script, scriptOptions] = workerScript();
  const worker = new Worker(script, {
    ...scriptOptions,
    workerData,
    // The worker runs our built JS: the host's flags (`--input-type`, loaders) need not apply to it.
    execArgv: [],
  });
  const pending = new Map<
    number,
    { resolve: (m: FromInferenceWorker) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  let dead: Error | undefined;
  let released: (() => void) | undefined;

  return new Promise<InferenceSessionHandle>((resolveOpen, rejectOpen) => {
    const fail = (error: Error): void => {
      if (dead) return;
      dead = error;
      rejectOpen(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      released?.();
    };
    worker.on('error', (error) =>
      fail(new Error(`detector ${model}: the inference worker crashed: ${error.message}`)),
    );
    worker.on('exit', (code) =>
      fail(
        new Error(
          `detector ${model}: the inference worker exited (code ${code})${released ? '' : ' unexpectedly; create the detector again'}`,
        ),
      ),
    );
    worker.on('message', (message: FromInferenceWorker) => {
      switch (message.type) {
        case 'log':
          logger[message.level](message.message);
          return;
        case 'open-failed':
          fail(new Error(message.message));
          return;
        case 'released':
          released?.();
          return;
        case 'opened':
          // Idle, the worker does not keep the process alive (as a session on this thread would not).
          worker.unref();
          resolveOpen(session(message));
          return;
        case 'result':
        case 'run-failed': {
          const p = pending.get(message.id);
          pending.delete(message.id);
          if (pending.size === 0) worker.unref();
          p?.resolve(message);
          return;
        }
      }
    });

    const session = (opened: Extract<FromInferenceWorker, { type: 'opened' }>): InferenceSessionHandle => ({
      runtime: 'onnxruntime-node',
      runtimeVersion,
      provider: opened.provider,
      skipped: opened.skipped,
      inputMetadata: opened.inputMetadata,
      outputMetadata: opened.outputMetadata,
      async run(inputName, tensor, fetches, scalars = {}) {
        if (dead) throw dead;
        const id = nextId++;
        const reply = new Promise<FromInferenceWorker>((resolve, reject) =>
          pending.set(id, { resolve, reject }),
        );
        const message: ToInferenceWorker = {
          type: 'run',
          id,
          input: inputName,
          tensorType: tensor.type,
          dims: tensor.dims,
          data: tensor.data,
          scalars,
          fetches,
        };
        worker.ref();
        worker.postMessage(message, [tensor.data.buffer as ArrayBuffer]);
        const answer = await reply;
        if (answer.type === 'result') return { outputs: answer.outputs, input: answer.input };
        if (answer.type === 'run-failed') {
          throw new InferenceRunError(answer.message, answer.input);
        }
        throw new Error(`detector ${model}: unexpected reply ${answer.type} from the inference worker`);
      },
      async release() {
        if (dead) return;
        const done = new Promise<void>((resolve) => {
          released = resolve;
        });
        const message: ToInferenceWorker = { type: 'release' };
        worker.ref();
        worker.postMessage(message);
        await done;
        await worker.terminate();
      },
    });
  });
}

/**
 * From dist/ the worker is the built `inference-worker.js`. Run from src/ (vitest, tsx) it is the
 * `.ts` file, loaded with tsx's `tsImport` inside the worker (a worker does not inherit vitest's loader).
 */
function workerScript(): [URL | string, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./inference-worker.js', import.meta.url), {}];
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const script = JSON.stringify(new URL('./inference-worker.ts', import.meta.url).href);
  const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((tsx) => tsx.tsImport(${script}, ${script}));`;
  return [code, { eval: true }];
}
