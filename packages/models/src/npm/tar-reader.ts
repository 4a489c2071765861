import { gunzipSync } from 'node:zlib';

/** One regular file of a tarball: its path in the archive and its contents. */
export interface TarEntry {
  readonly path: string;
  readonly data: Buffer;
}

/**
 * Regular files of a gzipped tarball (the ustar/pax format `npm pack` writes), in archive order.
 * Throws when the archive is truncated or not gzip, naming `label` (the file it came from).
 */
export function readTarGz(gz: Uint8Array, label: string): TarEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz);
  } catch (err) {
    throw new Error(`${label} is not a gzip tarball (${(err as Error).message}); delete it and retry`);
  }
  const entries: TarEntry[] = [];
  let paxPath: string | undefined;
  for (let offset = 0; offset + 512 <= tar.byteLength; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(field(header, 124, 12) || '0', 8);
    const type = field(header, 156, 1) || '0';
    const prefix = field(header, 345, 155);
    const name = field(header, 0, 100);
    const start = offset + 512;
    if (Number.isNaN(size) || start + size > tar.byteLength)
      throw new Error(`${label} is truncated at ${name}`);
    const data = tar.subarray(start, start + size);
    if (type === 'x') paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
    else if (type === '0') {
      entries.push({ path: paxPath ?? (prefix ? `${prefix}/${name}` : name), data });
      paxPath = undefined;
    } else paxPath = undefined;
    offset = start + Math.ceil(size / 512) * 512;
  }
  return entries;
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw
    .subarray(0, end === -1 ? length : end)
    .toString('utf8')
    .trim();
}
