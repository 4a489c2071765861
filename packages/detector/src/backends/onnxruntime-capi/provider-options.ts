import { readString, readStrings } from './native-memory.js';
import type { OrtApi, Pointer } from './ort-library.js';
import { type OrtStatusError, statusError } from './ort-status.js';
import { type OrtProviderKeys, ProviderOptionError } from './provider-keys.js';

/** Whether the provider was added to the session options, or why this library cannot add it. */
export type AppendResult =
  | { readonly appended: true; readonly effective?: string }
  | { readonly appended: false; readonly reason: string };

/**
 * Adds one provider to `options`: TensorRT and CUDA through their V2 option objects (every key reaches the
 * provider), everything else through the generic `SessionOptionsAppendExecutionProvider`, CPU by its thread
 * count. A provider this library lacks, or whose shared library is missing, comes back unappended with ORT's
 * reason; a key or value the provider refuses throws a `ProviderOptionError` naming the key.
 */
export function appendProvider(api: OrtApi, options: Pointer, provider: OrtProviderKeys): AppendResult {
  const keys = provider.keys.map(([k]) => k);
  const values = provider.keys.map(([, v]) => v);
  const failed = (error: OrtStatusError | null): AppendResult | null =>
    error ? { appended: false, reason: unavailableReason(provider, error) } : null;
  switch (provider.kind) {
    case 'cpu': {
      const error = statusError(
        api,
        api.SetIntraOpNumThreads(options, provider.intraOpThreads ?? 0),
        'SetIntraOpNumThreads',
      );
      if (error) throw error;
      return { appended: true };
    }
    case 'generic':
      return (
        failed(
          statusError(
            api,
            api.SessionOptionsAppendExecutionProvider(options, provider.ortName, keys, values, keys.length),
            `SessionOptionsAppendExecutionProvider(${provider.ortName})`,
          ),
        ) ?? { appended: true }
      );
    case 'tensorrt':
    case 'cuda': {
      const trt = provider.kind === 'tensorrt';
      const out = new BigUint64Array(1);
      const created = statusError(
        api,
        trt ? api.CreateTensorRTProviderOptions(out) : api.CreateCUDAProviderOptions(out),
        trt ? 'CreateTensorRTProviderOptions' : 'CreateCUDAProviderOptions',
      );
      if (created) return failed(created)!;
      const object = out[0]!;
      try {
        if (keys.length > 0) {
          const updated = statusError(
            api,
            trt
              ? api.UpdateTensorRTProviderOptions(object, keys, values, keys.length)
              : api.UpdateCUDAProviderOptions(object, keys, values, keys.length),
            trt ? 'UpdateTensorRTProviderOptions' : 'UpdateCUDAProviderOptions',
          );
          if (updated) return failed(updated)!;
        }
        const appended = statusError(
          api,
          trt
            ? api.SessionOptionsAppendExecutionProvider_TensorRT_V2(options, object)
            : api.SessionOptionsAppendExecutionProvider_CUDA_V2(options, object),
          trt
            ? 'SessionOptionsAppendExecutionProvider_TensorRT_V2'
            : 'SessionOptionsAppendExecutionProvider_CUDA_V2',
        );
        const failure = failed(appended);
        if (failure) return failure;
        const effective = trt ? tensorRtOptionsString(api, object) : undefined;
        return effective === undefined ? { appended: true } : { appended: true, effective };
      } finally {
        // The session options keep their own copy of the provider's settings.
        if (trt) api.ReleaseTensorRTProviderOptions(object);
        else api.ReleaseCUDAProviderOptions(object);
      }
    }
  }
}

const REFUSED_KEY = [
  /Unknown provider option:?\s*"([^"]+)"/i,
  /Failed to parse provider option\s*"([^"]+)"/i,
];

/**
 * ORT's reason when the failure is about the provider being unavailable; throws when ORT refused one of our
 * keys (its provider-options parser names the key in quotes, as do most providers' own checks).
 */
export function unavailableReason(provider: OrtProviderKeys, error: OrtStatusError): string {
  const message = error.ortMessage;
  for (const pattern of REFUSED_KEY) {
    const key = pattern.exec(message)?.[1];
    if (key) throw new ProviderOptionError(provider.provider, key, message.trim());
  }
  const named = provider.keys.find(([key]) => message.includes(`"${key}"`) || message.includes(`'${key}'`));
  if (named) throw new ProviderOptionError(provider.provider, named[0], message.trim());
  return `${error.call}: ${firstLine(message)}`;
}

function firstLine(message: string): string {
  return (message.trim().split('\n')[0] ?? '').slice(0, 500);
}

/** Names of the providers compiled into the library (`GetAvailableProviders`), e.g. `CUDAExecutionProvider`. */
export function availableProviders(api: OrtApi): string[] {
  const list = new BigUint64Array(1);
  const count = new Int32Array(1);
  const error = statusError(api, api.GetAvailableProviders(list, count), 'GetAvailableProviders');
  if (error) throw error;
  const names = readStrings(list[0]!, count[0]!);
  // The list is ORT's: freed by its own function, whose status is only a formality.
  statusError(api, api.ReleaseAvailableProviders(list[0]!, count[0]!), 'ReleaseAvailableProviders');
  return names;
}

/** The TensorRT provider's settings as ORT holds them (`GetTensorRTProviderOptionsAsString`), for the log. */
function tensorRtOptionsString(api: OrtApi, trt: Pointer): string | undefined {
  const allocator = new BigUint64Array(1);
  if (statusError(api, api.GetAllocatorWithDefaultOptions(allocator), 'GetAllocatorWithDefaultOptions'))
    return;
  const out = new BigUint64Array(1);
  if (
    statusError(
      api,
      api.GetTensorRTProviderOptionsAsString(trt, allocator[0]!, out),
      'GetTensorRTProviderOptionsAsString',
    )
  )
    return;
  try {
    return readString(out[0]!);
  } finally {
    statusError(api, api.AllocatorFree(allocator[0]!, out[0]!), 'AllocatorFree');
  }
}
