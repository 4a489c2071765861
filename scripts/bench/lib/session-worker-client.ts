import { Worker } from 'node:worker_threads';

/** A `session-worker.mjs` thread: one onnxruntime session on a ready tensor, run on request. */
export interface SessionWorker {
  /** One `session.run` in the worker; resolves when it is done. */
  run(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the worker and resolves once its session is created and warmed up. */
export async function startSessionWorker(options: {
  readonly modelPath: string;
  readonly batch: number;
  readonly provider?: string;
}): Promise<SessionWorker> {
  const worker = new Worker(new URL('./session-worker.mjs', import.meta.url), { workerData: options });
  // One error listener for the worker's life; a listener per run would pile up.
  let failed: ((error: unknown) => void) | undefined;
  worker.on('error', (error) => failed?.(error));
  const next = () =>
    new Promise<void>((resolve, reject) => {
      failed = reject;
      worker.once('message', () => resolve());
    });
  await next();
  return {
    run: () => {
      const done = next();
      worker.postMessage('run');
      return done;
    },
    close: async () => {
      worker.postMessage('close');
      await worker.terminate();
    },
  };
}
