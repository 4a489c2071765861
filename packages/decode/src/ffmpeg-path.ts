import installer from '@ffmpeg-installer/ffmpeg';

/**
 * The FFmpeg binary to run: the `ffmpegPath` option, else `FFMPEG_PATH`, else the static build
 * that `@ffmpeg-installer/ffmpeg` ships (a 2018 build with libx264, no GPU decoders).
 */
export function resolveFfmpegPath(ffmpegPath?: string): string {
  return ffmpegPath ?? process.env.FFMPEG_PATH ?? installer.path;
}
