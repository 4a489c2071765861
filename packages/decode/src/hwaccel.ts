import { spawnFfmpeg } from './ffmpeg-process.js';
import type { Hwaccel } from './source-options.js';

interface Capabilities {
  readonly hwaccels: ReadonlySet<string>;
  readonly decoders: ReadonlySet<string>;
}

const capabilities = new Map<string, Promise<Capabilities>>();

async function listOf(binary: string, flag: string): Promise<string> {
  const run = spawnFfmpeg(['-hide_banner', flag], { ffmpegPath: binary, stderrLines: 0 });
  let text = '';
  run.stdout.setEncoding('utf8');
  run.stdout.on('data', (chunk: string) => {
    text += chunk;
  });
  await run.ended;
  return text;
}

/** What this FFmpeg binary can hardware-decode (`-hwaccels`, `-decoders`), asked once per binary. */
export function ffmpegCapabilities(binary: string): Promise<Capabilities> {
  let known = capabilities.get(binary);
  if (!known) {
    known = Promise.all([listOf(binary, '-hwaccels'), listOf(binary, '-decoders')]).then(([hw, dec]) => ({
      hwaccels: new Set(
        hw
          .split('\n')
          .slice(1)
          .map((l) => l.trim())
          .filter(Boolean),
      ),
      decoders: new Set(
        dec
          .split('\n')
          .map((l) => /^\s*V\S*\s+(\S+)/.exec(l)?.[1])
          .filter((d): d is string => d !== undefined),
      ),
    }));
    capabilities.set(binary, known);
  }
  return known;
}

/** FFmpeg input arguments for a hardware decoder, or why this binary cannot do it. */
export type HwaccelPlan = { readonly args: string[] } | { readonly unsupported: string };

/**
 * `cuda`/`vaapi` are `-hwaccel` methods (frames come back to system memory for the RGB pipe);
 * `nvv4l2`/`nvmpi` are the Jetson decoder wrappers that Jetson FFmpeg builds add (`h264_nvv4l2dec`,
 * `h264_nvv4l2`, `h264_nvmpi`), chosen by the stream's codec.
 */
export async function planHwaccel(
  binary: string,
  hwaccel: Hwaccel,
  codec: string,
  device?: string,
): Promise<HwaccelPlan> {
  const caps = await ffmpegCapabilities(binary);
  if (hwaccel === 'cuda' || hwaccel === 'vaapi') {
    if (!caps.hwaccels.has(hwaccel)) {
      return {
        unsupported: `this FFmpeg (${binary}) has no ${hwaccel} hwaccel (it has: ${[...caps.hwaccels].join(', ') || 'none'})`,
      };
    }
    const deviceArgs = device
      ? ['-hwaccel_device', device]
      : hwaccel === 'vaapi'
        ? ['-hwaccel_device', '/dev/dri/renderD128']
        : [];
    return { args: ['-hwaccel', hwaccel, ...deviceArgs] };
  }
  const names = hwaccel === 'nvmpi' ? [`${codec}_nvmpi`] : [`${codec}_nvv4l2dec`, `${codec}_nvv4l2`];
  const decoder = names.find((name) => caps.decoders.has(name));
  if (!decoder)
    return {
      unsupported: `this FFmpeg (${binary}) has no ${names.join(' or ')} decoder (a Jetson build of FFmpeg has it)`,
    };
  return { args: ['-c:v', decoder] };
}
