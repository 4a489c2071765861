import type { OrtApi, StatusPointer } from './ort-library.js';

const ERROR_CODES = [
  'OK',
  'FAIL',
  'INVALID_ARGUMENT',
  'NO_SUCHFILE',
  'NO_MODEL',
  'ENGINE_ERROR',
  'RUNTIME_EXCEPTION',
  'INVALID_PROTOBUF',
  'MODEL_LOADED',
  'NOT_IMPLEMENTED',
  'INVALID_GRAPH',
  'EP_FAIL',
];

/** A failed ORT call: `ortMessage` is ORT's own text, `code` its `OrtErrorCode`. */
export class OrtStatusError extends Error {
  override readonly name = 'OrtStatusError';
  constructor(
    readonly call: string,
    readonly code: number,
    readonly ortMessage: string,
  ) {
    super(`${call}: ${ortMessage.trim()} (${ERROR_CODES[code] ?? `code ${code}`})`);
  }
}

/** The status as an error (null when it is success); the status is released either way. */
export function statusError(api: OrtApi, status: StatusPointer, call: string): OrtStatusError | null {
  if (!status) return null;
  try {
    return new OrtStatusError(call, api.GetErrorCode(status), api.GetErrorMessage(status));
  } finally {
    api.ReleaseStatus(status);
  }
}

/** Throws the status as an `OrtStatusError` unless it is success; the status is released either way. */
export function check(api: OrtApi, status: StatusPointer, call: string): void {
  const error = statusError(api, status, call);
  if (error) throw error;
}
