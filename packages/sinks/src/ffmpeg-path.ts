import installer from '@ffmpeg-installer/ffmpeg';

/** The `ffmpegPath` option, else `FFMPEG_PATH`, else the static build @ffmpeg-installer/ffmpeg ships. */
export function resolveFfmpegPath(ffmpegPath?: string): string {
  return ffmpegPath ?? process.env.FFMPEG_PATH ?? installer.path;
}
