/**
 * `value` rounded to `digits` decimals, for the numbers rxvision writes out (MQTT payloads,
 * detection JSON, MOTChallenge files): stable text without float noise such as 0.30000000000000004.
 */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
