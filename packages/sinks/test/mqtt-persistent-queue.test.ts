import { appendFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@rxvision/decode';
import { describe, expect, it } from 'vitest';
import { type FsyncPolicy, PersistentQueue } from '../src/mqtt/persistent-queue.js';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
const message = (n: number, payload: string | Buffer = `event ${n}`) => ({
  kind: 'events' as const,
  topic: 'p/events',
  payload,
  retain: false,
  qos: 1 as const,
  queuedAt: 1000 + n,
});
const dir = () => mkdtempSync(join(tmpdir(), 'rxv-pq-'));

describe('persistent offline queue file', () => {
  it.each<FsyncPolicy>(['always', 'interval', 'never'])(
    'replays what the broker did not acknowledge, in order, after a reopen (fsync %s)',
    (fsync) => {
      const path = join(dir(), 'state', 'mqtt-queue.log');
      const first = PersistentQueue.open({ path, fsync }, recorder());
      expect(first?.replayed).toEqual([]);
      const ids = [1, 2, 3, 4, 5].map((n) => first!.queue.append(message(n)));
      first!.queue.done(ids[1]!);
      first!.queue.done(ids[3]!);
      first!.queue.done(12345);
      const binary = first!.queue.append(message(6, Buffer.from([0, 255, 7])));
      first!.queue.close();

      const second = PersistentQueue.open({ path, fsync }, recorder())!;
      expect(second.replayed.map((m) => m.payload)).toEqual([
        'event 1',
        'event 3',
        'event 5',
        Buffer.from([0, 255, 7]),
      ]);
      expect(second.replayed[0]).toMatchObject({ kind: 'events', topic: 'p/events', qos: 1, queuedAt: 1001 });
      // New ids continue after the replayed ones, so the order survives another restart.
      expect(second.queue.append(message(7))).toBeGreaterThan(binary);
      second.queue.close();
      const third = PersistentQueue.open({ path }, recorder())!;
      expect(third.replayed.map((m) => m.payload.toString())).toEqual([
        'event 1',
        'event 3',
        'event 5',
        '\u0000\ufffd\u0007',
        'event 7',
      ]);
      third.queue.close();
    },
  );

  it('reads a file cut off mid-record (power loss) up to the last whole record, with a warning', () => {
    const path = join(dir(), 'q.log');
    const first = PersistentQueue.open({ path }, recorder())!;
    for (let n = 1; n <= 3; n++) first.queue.append(message(n));
    first.queue.close();
    truncateSync(path, statSync(path).size - 3);
    const logger = recorder();
    const second = PersistentQueue.open({ path }, logger)!;
    expect(second.replayed.map((m) => m.payload)).toEqual(['event 1', 'event 2']);
    expect(logger.lines.join('\n')).toMatch(
      /warn .*q\.log: ignored \d+ byte\(s\) after offset \d+ .*power loss.*kept the 2 record/,
    );
    // The garbled tail is gone: what is appended now is read back after the whole records.
    second.queue.append(message(4));
    second.queue.close();
    expect(PersistentQueue.open({ path }, recorder())!.replayed.map((m) => m.payload)).toEqual([
      'event 1',
      'event 2',
      'event 4',
    ]);
  });

  it('stops at a garbled record (bad checksum) and at garbage, never throwing', () => {
    const path = join(dir(), 'q.log');
    const first = PersistentQueue.open({ path }, recorder())!;
    first.queue.append(message(1));
    first.queue.append(message(2));
    first.queue.close();
    const data = readFileSync(path);
    data[data.length - 2] = data[data.length - 2]! ^ 0xff;
    writeFileSync(path, data);
    appendFileSync(path, 'not a record at all');
    const logger = recorder();
    expect(PersistentQueue.open({ path }, logger)!.replayed.map((m) => m.payload)).toEqual(['event 1']);
    expect(logger.lines.some((l) => l.startsWith('warn'))).toBe(true);

    writeFileSync(path, Buffer.from('\u0000\u0000\u0000\u0000garbage'));
    expect(PersistentQueue.open({ path }, recorder())!.replayed).toEqual([]);
  });

  it('compacts the settled records away once the file outgrows its live part', () => {
    const path = join(dir(), 'q.log');
    const { queue } = PersistentQueue.open({ path, fsync: 'never' }, recorder())!;
    const payload = 'x'.repeat(4096);
    const keep = queue.append(message(0, 'kept'));
    for (let n = 1; n <= 600; n++) queue.done(queue.append(message(n, payload)));
    // 600 × 4 KiB went through; the file holds about one compaction threshold at most.
    expect(statSync(path).size).toBeLessThan(2 * 1024 * 1024);
    expect(queue.pending).toBe(1);
    queue.close();
    const replayed = PersistentQueue.open({ path }, recorder())!.replayed;
    expect(replayed.map((m) => [m.id, m.payload])).toEqual([[keep, 'kept']]);
  });

  it('falls back to memory with an error naming the path and the fix when the file cannot be used', () => {
    // A regular file where the state directory should be: refused even to root.
    const blocker = join(dir(), 'not-a-dir');
    writeFileSync(blocker, '');
    const logger = recorder();
    expect(PersistentQueue.open({ path: join(blocker, 'q.log') }, logger)).toBeUndefined();
    expect(logger.lines.join('\n')).toMatch(
      /error .*cannot use .*q\.log.*memory only.*mqtt\.offline_queue\.path/,
    );
  });
});
