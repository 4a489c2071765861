import { describe, expect, it } from 'vitest';
import { deliveredFormat, filterGraph } from '../src/ffmpeg-args.js';
import { planHwaccel } from '../src/hwaccel.js';
import { letterbox } from '../src/letterbox.js';

/** Debian's FFmpeg 5.1 lists cuda, vaapi and qsv with their scalers (no device here to run them on). */
const DEBIAN_FFMPEG = '/usr/bin/ffmpeg';
const box = letterbox(1920, 1080, 640, 640);

describe('hardware decode arguments (built against the real binary’s -hwaccels / -filters)', () => {
  it.each([
    ['cuda', ['-hwaccel', 'cuda', '-hwaccel_output_format', 'cuda'], 'scale_cuda'],
    [
      'vaapi',
      ['-hwaccel', 'vaapi', '-hwaccel_device', '/dev/dri/renderD128', '-hwaccel_output_format', 'vaapi'],
      'scale_vaapi',
    ],
    ['qsv', ['-hwaccel', 'qsv', '-hwaccel_output_format', 'qsv'], 'scale_qsv'],
  ] as const)(
    '%s: frames stay on the device, are scaled there and downloaded as nv12',
    async (hwaccel, args, scaler) => {
      const plan = await planHwaccel(DEBIAN_FFMPEG, hwaccel, 'h264');
      expect('args' in plan && plan.args).toEqual(args);
      const deviceScale = 'args' in plan ? plan.deviceScale : undefined;
      expect(deviceScale?.(640, 360)).toBe(`${scaler}=w=640:h=360,hwdownload,format=nv12`);
      expect(deliveredFormat('yuv420p', deviceScale)).toBe('nv12');
      expect(deliveredFormat('rgb24', deviceScale)).toBe('rgb24');
      // The fps cap runs before the download, so frames it drops never leave the device.
      expect(
        filterGraph({ width: 1920, height: 1080, fps: 5, letterbox: box, full: 'nv12', deviceScale }),
      ).toBe(
        `[0:v]fps=5,split=2[s0][s1];[s0]${scaler}=w=1920:h=1080,hwdownload,format=nv12[full];` +
          `[s1]${scaler}=w=640:h=360,hwdownload,format=nv12,format=rgb24,pad=640:640:0:140:color=0x727272[model]`,
      );
      // Detect-only camera: only the model input is scaled and downloaded.
      expect(
        filterGraph({ width: 1920, height: 1080, fps: 5, letterbox: box, full: undefined, deviceScale }),
      ).toBe(
        `[0:v]fps=5,${scaler}=w=640:h=360,hwdownload,format=nv12,format=rgb24,pad=640:640:0:140:color=0x727272[model]`,
      );
    },
  );

  it('a cuda device is passed as -hwaccel_device, a qsv one as -qsv_device', async () => {
    expect(await planHwaccel(DEBIAN_FFMPEG, 'cuda', 'h264', '1')).toMatchObject({
      args: ['-hwaccel', 'cuda', '-hwaccel_device', '1', '-hwaccel_output_format', 'cuda'],
    });
    expect(await planHwaccel(DEBIAN_FFMPEG, 'qsv', 'h264', '/dev/dri/renderD129')).toMatchObject({
      args: ['-hwaccel', 'qsv', '-qsv_device', '/dev/dri/renderD129', '-hwaccel_output_format', 'qsv'],
    });
  });

  it('videotoolbox and the Jetson decoders are refused by this binary, saying what it lacks', async () => {
    expect(await planHwaccel(DEBIAN_FFMPEG, 'videotoolbox', 'h264')).toEqual({
      unsupported: expect.stringMatching(/has no videotoolbox hwaccel \(it has: .*cuda/),
    });
    expect(await planHwaccel(DEBIAN_FFMPEG, 'nvv4l2', 'h264')).toEqual({
      unsupported: expect.stringMatching(/no h264_nvv4l2dec or h264_nvv4l2 decoder/),
    });
  });

  it('software decode: yuv420p full frame and rgb24 letterbox, each scaled from the decoder’s format', () => {
    expect(filterGraph({ width: 1920, height: 1080, fps: undefined, letterbox: box, full: 'yuv420p' })).toBe(
      '[0:v]split=2[s0][s1];[s0]scale=1920:1080:flags=bilinear,format=yuv420p[full];' +
        '[s1]scale=640:360:flags=bilinear,format=rgb24,pad=640:640:0:140:color=0x727272[model]',
    );
  });
});
