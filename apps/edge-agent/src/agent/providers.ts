import type { ExecutionProvider } from '@rxvision/detector';
import { toExecutionProvider } from '../config/schema/providers.js';
import type { ProviderConfig } from '../config/types.js';

/** The detector's provider list from the config's `providers` (snake_case YAML → the detector's fields). */
export function toExecutionProviders(providers: readonly ProviderConfig[]): ExecutionProvider[] {
  return providers.map(toExecutionProvider);
}
