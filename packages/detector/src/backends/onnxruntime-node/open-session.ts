import type { Logger } from '@rxvision/decode';
import type { InferenceSession } from 'onnxruntime-node';
import { type ExecutionProvider, providerName } from '../../providers.js';
import { noProviderLoadedError, type SkippedProvider } from '../inference-backend.js';

/** The binding's session on the provider that loaded, with what was tried before it. */
export interface OpenedSession {
  readonly session: InferenceSession;
  readonly provider: string;
  /** Providers tried before this one, with why each could not load. */
  readonly skipped: readonly SkippedProvider[];
}

type SessionFactory = (options: InferenceSession.SessionOptions) => Promise<InferenceSession>;

/**
 * Opens the model with onnxruntime-node on the first provider of the ordered list that loads; each one
 * that cannot is skipped with a warning saying why. Throws, listing every reason, when none loads.
 * The entries were checked by `checkProviders('onnxruntime-node', …)`.
 */
export async function openSession(
  model: string,
  create: SessionFactory,
  providers: readonly ExecutionProvider[],
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<OpenedSession> {
  const skipped: SkippedProvider[] = [];
  for (const entry of providers) {
    const name = providerName(entry);
    try {
      const session = await create(sessionOptions(entry));
      for (const s of skipped) logger.warn(`detector ${model}: provider ${s.provider} skipped: ${s.reason}`);
      return { session, provider: name, skipped };
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
      skipped.push({ provider: name, reason });
    }
  }
  throw noProviderLoadedError(model, skipped);
}

/** The binding's session options for one entry: only what onnxruntime-node can pass. */
function sessionOptions(entry: ExecutionProvider): InferenceSession.SessionOptions {
  const common: InferenceSession.SessionOptions = { graphOptimizationLevel: 'all' };
  const field = (key: string): unknown =>
    typeof entry === 'object' ? (entry as unknown as Record<string, unknown>)[key] : undefined;
  const name = providerName(entry);
  switch (name) {
    case 'cpu': {
      const threads = field('threads');
      return {
        ...common,
        executionProviders: [{ name: 'cpu' }],
        ...(typeof threads === 'number' && threads > 0 ? { intraOpNumThreads: threads } : {}),
      };
    }
    case 'cuda':
    case 'tensorrt': {
      const deviceId = field('deviceId');
      return {
        ...common,
        executionProviders: [{ name, deviceId: typeof deviceId === 'number' ? deviceId : 0 }],
      };
    }
    case 'webgpu': {
      const layout = field('preferredLayout') === 'NHWC' ? 'NHWC' : 'NCHW';
      return { ...common, executionProviders: [{ name: 'webgpu', preferredLayout: layout }] };
    }
    default:
      throw new Error(`execution provider ${JSON.stringify(name)} is not in onnxruntime-node`);
  }
}
