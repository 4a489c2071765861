import { spawnFfmpeg } from './ffmpeg-process.js';
import { writeSecretFile } from './secret-file.js';

const known = new Map<string, Promise<boolean>>();

/**
 * Whether an FFmpeg binary's concat demuxer takes `option` lines (FFmpeg 5 does; the 2018 static
 * build @ffmpeg-installer ships does not), asked once per binary with a script naming no real file.
 */
export function concatTakesOptions(ffmpegPath: string): Promise<boolean> {
  let answer = known.get(ffmpegPath);
  if (!answer) {
    answer = (async () => {
      const script = writeSecretFile(
        'probe.ffconcat',
        "ffconcat version 1.0\nfile 'nothing.mp4'\noption rtsp_transport tcp\n",
      );
      try {
        const run = spawnFfmpeg(
          ['-hide_banner', '-nostdin', '-f', 'concat', '-safe', '0', '-i', script.path],
          {
            ffmpegPath,
          },
        );
        const { stderrTail } = await run.ended;
        return !/unknown keyword 'option'/.test(stderrTail);
      } finally {
        script.remove();
      }
    })();
    known.set(ffmpegPath, answer);
  }
  return answer;
}
