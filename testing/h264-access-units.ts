import { execFile } from 'node:child_process';

/**
 * The H.264 access units of a real clip, as `RtspStream.sendAccessUnit` takes them: the video is
 * copied (no re-encode) to Annex B by the system FFmpeg and split at start codes; each picture's
 * slice NAL unit closes an access unit, with the SPS/PPS/SEI before it.
 */
export async function h264AccessUnits(clip: string, frames = 300): Promise<Buffer[][]> {
  const annexB = await new Promise<Buffer>((resolve, reject) =>
    execFile(
      process.env.FFMPEG_PATH ?? 'ffmpeg',
      ['-v', 'error', '-i', clip, '-an', '-frames:v', String(frames), '-c:v', 'copy'].concat([
        '-bsf:v',
        'h264_mp4toannexb',
        '-f',
        'h264',
        '-',
      ]),
      { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`ffmpeg could not read ${clip}: ${stderr.toString()}`)) : resolve(stdout),
    ),
  );
  const units: Buffer[][] = [];
  let pending: Buffer[] = [];
  for (const nal of splitAnnexB(annexB)) {
    const type = (nal[0] ?? 0) & 0x1f;
    if (type === 9) continue; // access unit delimiter
    pending.push(nal);
    if (type === 1 || type === 5) {
      units.push(pending);
      pending = [];
    }
  }
  if (units.length === 0) throw new Error(`${clip} gave no H.264 pictures`);
  return units;
}

/** NAL units of an Annex B byte stream (start codes `00 00 01` or `00 00 00 01` removed). */
function splitAnnexB(data: Buffer): Buffer[] {
  const starts: Array<{ at: number; length: number }> = [];
  for (let i = 0; i + 2 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      const four = i > 0 && data[i - 1] === 0;
      starts.push({ at: four ? i - 1 : i, length: four ? 4 : 3 });
      i += 2;
    }
  }
  return starts.map((start, k) => {
    const end = starts[k + 1]?.at ?? data.length;
    return data.subarray(start.at + start.length, end);
  });
}
