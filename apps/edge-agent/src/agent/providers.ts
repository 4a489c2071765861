import type { ExecutionProvider } from '@rxvision/detector';
import type { ProviderConfig } from '../config/types.js';

/** `device_id` → `deviceId`: the YAML speaks snake_case like Frigate, the detector camelCase. */
function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The detector's provider list from the config's `providers`. */
export function toExecutionProviders(providers: readonly ProviderConfig[]): ExecutionProvider[] {
  return providers.map((p) => {
    const keys = Object.keys(p.options);
    if (keys.length === 0) return p.name;
    const options: Record<string, string | number | boolean> = {};
    for (const key of keys) options[camel(key)] = p.options[key] as string | number | boolean;
    // The detector validates each provider's options when it opens the session.
    return { ...options, name: p.name } as ExecutionProvider;
  });
}
