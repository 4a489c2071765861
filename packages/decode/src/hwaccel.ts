import type { DeviceScale } from './ffmpeg-args.js';
import { spawnFfmpeg } from './ffmpeg-process.js';
import type { Hwaccel } from './source-options.js';

interface Capabilities {
  readonly hwaccels: ReadonlySet<string>;
  readonly decoders: ReadonlySet<string>;
  readonly filters: ReadonlySet<string>;
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

/** Names in the second column of `-decoders` / `-filters` lines (`V..... h264_cuvid`, ` ... scale_cuda V->V`). */
function secondColumn(text: string, flags: RegExp): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((l) => flags.exec(l)?.[1])
      .filter((d): d is string => d !== undefined),
  );
}

/** What this FFmpeg binary can hardware-decode and scale (`-hwaccels`, `-decoders`, `-filters`), asked once per binary. */
export function ffmpegCapabilities(binary: string): Promise<Capabilities> {
  let known = capabilities.get(binary);
  if (!known) {
    known = Promise.all([
      listOf(binary, '-hwaccels'),
      listOf(binary, '-decoders'),
      listOf(binary, '-filters'),
    ]).then(([hw, dec, filters]) => ({
      hwaccels: new Set(
        hw
          .split('\n')
          .slice(1)
          .map((l) => l.trim())
          .filter(Boolean),
      ),
      decoders: secondColumn(dec, /^\s*V\S*\s+(\S+)/),
      filters: secondColumn(filters, /^\s*[.A-Z|]{2,3}\s+(\S+)\s+\S*->/),
    }));
    capabilities.set(binary, known);
  }
  return known;
}

/**
 * FFmpeg input arguments for a hardware decoder and, where the binary has the device's scaler, the
 * filter chain that resizes on the device and downloads `nv12`; or why this binary cannot do it.
 */
export type HwaccelPlan =
  | { readonly args: string[]; readonly deviceScale?: DeviceScale }
  | { readonly unsupported: string };

/**
 * Per `-hwaccel` method: the frames' device format (`-hwaccel_output_format`) and the device scaler
 * (FFmpeg filter docs: scale_cuda, scale_vaapi, scale_qsv, scale_vt). Frames stay on the device
 * through `fps` and the resize; `hwdownload` copies only those kept, at the size used.
 */
const DEVICE_SCALERS: Record<'cuda' | 'vaapi' | 'qsv' | 'videotoolbox', { output: string; filter: string }> =
  {
    cuda: { output: 'cuda', filter: 'scale_cuda' },
    vaapi: { output: 'vaapi', filter: 'scale_vaapi' },
    qsv: { output: 'qsv', filter: 'scale_qsv' },
    videotoolbox: { output: 'videotoolbox_vld', filter: 'scale_vt' },
  };

function deviceArgs(hwaccel: keyof typeof DEVICE_SCALERS, device: string | undefined): string[] {
  if (hwaccel === 'qsv') return device ? ['-qsv_device', device] : [];
  if (device) return ['-hwaccel_device', device];
  return hwaccel === 'vaapi' ? ['-hwaccel_device', '/dev/dri/renderD128'] : [];
}

/**
 * `cuda`/`vaapi`/`qsv`/`videotoolbox` are `-hwaccel` methods: with the device's scaler in this
 * binary, frames are scaled there and downloaded as `nv12`; without it they are downloaded at full
 * size and scaled in software. `nvv4l2`/`nvmpi` are the Jetson decoder wrappers that Jetson FFmpeg
 * builds add (`h264_nvv4l2dec`, `h264_nvv4l2`, `h264_nvmpi`), chosen by the stream's codec; they hand
 * frames to system memory, so scaling runs in software.
 */
export async function planHwaccel(
  binary: string,
  hwaccel: Hwaccel,
  codec: string,
  device?: string,
): Promise<HwaccelPlan> {
  const caps = await ffmpegCapabilities(binary);
  if (hwaccel in DEVICE_SCALERS) {
    const method = hwaccel as keyof typeof DEVICE_SCALERS;
    if (!caps.hwaccels.has(method)) {
      return {
        unsupported: `this FFmpeg (${binary}) has no ${method} hwaccel (it has: ${[...caps.hwaccels].join(', ') || 'none'})`,
      };
    }
    const { output, filter } = DEVICE_SCALERS[method];
    const base = ['-hwaccel', method, ...deviceArgs(method, device)];
    if (!caps.filters.has(filter)) return { args: base };
    return {
      args: [...base, '-hwaccel_output_format', output],
      deviceScale: (w, h) => `${filter}=w=${w}:h=${h},hwdownload,format=nv12`,
    };
  }
  const names = hwaccel === 'nvmpi' ? [`${codec}_nvmpi`] : [`${codec}_nvv4l2dec`, `${codec}_nvv4l2`];
  const decoder = names.find((name) => caps.decoders.has(name));
  if (!decoder)
    return {
      unsupported: `this FFmpeg (${binary}) has no ${names.join(' or ')} decoder (a Jetson build of FFmpeg has it)`,
    };
  return { args: ['-c:v', decoder] };
}
