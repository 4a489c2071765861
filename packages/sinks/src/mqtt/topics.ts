/** Frigate's default is `frigate`; ours is the project name. */
export const DEFAULT_TOPIC_PREFIX = 'rxvision';

/**
 * Refuses a topic prefix a broker would not accept for publishing, at construction time.
 * MQTT wildcards (`#`, `+`) are only legal in subscriptions; an empty level would create `//` topics.
 */
export function assertTopicPrefix(prefix: string, key = 'mqtt.topic_prefix'): string {
  if (prefix.length === 0) throw new Error(`${key} is empty: set it to a name such as "rxvision"`);
  if (/[#+]/.test(prefix)) {
    throw new Error(
      `${key} "${prefix}" contains an MQTT wildcard (# or +), which is only valid when subscribing: ` +
        'choose a prefix made of plain topic levels, e.g. "rxvision" or "home/cameras"',
    );
  }
  if (prefix.includes('\u0000')) throw new Error(`${key} "${prefix}" contains a NUL character`);
  if (prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//')) {
    throw new Error(
      `${key} "${prefix}" has an empty topic level: remove the leading, trailing or double "/"`,
    );
  }
  return prefix;
}

/** Refuses a camera, label, zone or line name that would break or widen a topic. */
export function assertTopicLevel(name: string, what: string): string {
  if (name.length === 0 || /[#+/]/.test(name) || name.includes('\u0000')) {
    throw new Error(
      `${what} "${name}" cannot be used in an MQTT topic level (empty, or contains "/", "#", "+"): rename it`,
    );
  }
  return name;
}
