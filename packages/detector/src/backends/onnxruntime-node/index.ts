import { env, InferenceSession } from 'onnxruntime-node';
import type { InferenceBackend } from '../inference-backend.js';
import { openSession } from './open-session.js';
import { ortTensor } from './ort-tensor.js';
import { mainThreadSession, openWorkerSession } from './worker-session.js';

/**
 * The default runtime: the onnxruntime-node binding, in a worker thread (its `run` is synchronous) or on
 * this thread. It passes CUDA and TensorRT a device id only.
 */
export const onnxruntimeNodeBackend: InferenceBackend = {
  runtime: 'onnxruntime-node',
  async open(model, providers, logger, options) {
    const version = env.versions.node ?? env.versions.common;
    if ((options.inferenceThread ?? 'worker') === 'worker')
      return openWorkerSession(model, providers, logger, version);
    const opened = await openSession(
      model,
      (sessionOptions) => InferenceSession.create(model, sessionOptions),
      providers,
      logger,
    );
    return mainThreadSession(opened, version, ortTensor);
  },
};
