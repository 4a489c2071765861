import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@rxvision/decode';
import type { QueuedMessage } from './message.js';
import { decodeRecords, encodeRecord, type StoredMessage } from './queue-log-record.js';

/**
 * When the persistent queue file is flushed to the disk (fsync):
 * - `always`: after every record. Nothing accepted is lost even on power loss; one disk flush per
 *   QoS ≥ 1 message (slow on SD cards, wears flash).
 * - `interval` (default): at most once per `fsyncIntervalMs` (1 s), after a write. A crash of the
 *   agent loses nothing (the OS holds the writes); a power loss loses up to the last interval.
 * - `never`: left to the OS (Linux writes dirty pages back within ~30 s). A crash of the agent
 *   loses nothing; a power loss may lose the last ~30 s.
 */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Where and how the offline queue survives a restart of the process. */
export interface PersistentQueueOptions {
  /** The queue file; its directory is created. One file per publisher (two agents must not share it). */
  readonly path: string;
  /** Default `interval`. */
  readonly fsync?: FsyncPolicy;
  /** With `fsync: interval`. Default 1000. */
  readonly fsyncIntervalMs?: number;
}

// Compact once the file holds this much more than its live records (and at least this much).
const COMPACT_MIN_BYTES = 1 << 20;

/**
 * An append-only log of the QoS ≥ 1 messages the publisher accepted and the broker has not
 * acknowledged yet: a `queued` record when one is accepted, a `done` record when the broker
 * acknowledges it (PUBACK) or the queue's bounds drop it. Rewritten without the settled records
 * once it has grown past twice its live size. On open, the messages still unsettled come back in
 * the order they were accepted; a cut-off or garbled tail (power loss mid-write) is dropped with a
 * warning, keeping every whole record before it.
 */
export class PersistentQueue {
  readonly #path: string;
  readonly #fsync: FsyncPolicy;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  readonly #live = new Map<number, number>();
  #fd: number;
  #fileBytes = 0;
  #liveBytes = 0;
  #nextId = 1;
  #lastSync = 0;
  #syncTimer: NodeJS.Timeout | undefined;

  private constructor(options: PersistentQueueOptions, logger: Logger, fd: number) {
    this.#path = options.path;
    this.#fsync = options.fsync ?? 'interval';
    this.#intervalMs = options.fsyncIntervalMs ?? 1000;
    this.#logger = logger;
    this.#fd = fd;
  }

  /**
   * Opens (or creates) the file and reads back what it still holds, oldest first. Returns
   * undefined, after logging why, when the file cannot be used: the queue then lives in memory.
   */
  static open(
    options: PersistentQueueOptions,
    logger: Logger,
  ): { queue: PersistentQueue; replayed: StoredMessage[] } | undefined {
    try {
      mkdirSync(dirname(options.path), { recursive: true });
      const fd = openSync(options.path, 'a+');
      const queue = new PersistentQueue(options, logger, fd);
      return { queue, replayed: queue.#replay() };
    } catch (error) {
      logger.error(
        `mqtt offline queue: cannot use ${options.path} (${(error as Error).message}); queued messages stay in memory only and a restart loses them. Fix: make the directory writable by the agent, or set mqtt.offline_queue.path elsewhere`,
      );
      return undefined;
    }
  }

  /** Records an accepted message; returns its id for `done`. */
  append(message: Omit<QueuedMessage, 'storeId'>): number {
    const id = this.#nextId++;
    const { kind, topic, payload, retain, qos, queuedAt } = message;
    this.#write(encodeRecord({ queued: { id, kind, topic, payload, retain, qos, queuedAt } }), id);
    return id;
  }

  /** Settles a message (acknowledged or dropped); unknown or already settled ids are ignored. */
  done(id: number): void {
    const bytes = this.#live.get(id);
    if (bytes === undefined) return;
    this.#live.delete(id);
    this.#liveBytes -= bytes;
    this.#write(encodeRecord({ done: id }));
    if (this.#fileBytes > COMPACT_MIN_BYTES && this.#fileBytes > 2 * this.#liveBytes) this.#compact();
  }

  /** Messages accepted and not settled. */
  get pending(): number {
    return this.#live.size;
  }

  /** Flushes to the disk and closes the file; what is unsettled is replayed by the next `open`. */
  close(): void {
    if (this.#fd < 0) return;
    clearTimeout(this.#syncTimer);
    try {
      fsyncSync(this.#fd);
    } catch {}
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #replay(): StoredMessage[] {
    const { messages: replayed, lastId } = readPersistentQueue(this.#path, this.#logger);
    this.#nextId = lastId + 1;
    // Start from a file that holds just those, so a garbled tail is gone and ids stay increasing.
    this.#rewrite(replayed);
    return replayed;
  }

  #write(record: Buffer, liveId?: number): void {
    if (this.#fd < 0) return;
    try {
      writeSync(this.#fd, record);
    } catch (error) {
      this.#logger.error(
        `mqtt offline queue ${this.#path}: write failed (${(error as Error).message}); messages since are kept in memory only`,
      );
      return;
    }
    this.#fileBytes += record.length;
    if (liveId !== undefined) {
      this.#live.set(liveId, record.length);
      this.#liveBytes += record.length;
    }
    this.#sync();
  }

  #sync(): void {
    if (this.#fsync === 'never') return;
    const now = Date.now();
    if (this.#fsync === 'always' || now - this.#lastSync >= this.#intervalMs) {
      this.#lastSync = now;
      fsyncSync(this.#fd);
      return;
    }
    this.#syncTimer ??= setTimeout(
      () => {
        this.#syncTimer = undefined;
        if (this.#fd < 0) return;
        this.#lastSync = Date.now();
        fsyncSync(this.#fd);
      },
      this.#intervalMs - (now - this.#lastSync),
    ).unref();
  }

  #compact(): void {
    const data = readFileSync(this.#path);
    const live = decodeRecords(data)
      .records.flatMap((r) => ('queued' in r && this.#live.has(r.queued.id) ? [r.queued] : []))
      .sort((a, b) => a.id - b.id);
    this.#rewrite(live);
  }

  /** Replaces the file with `messages` alone: a temporary file, fsynced, renamed over it. */
  #rewrite(messages: readonly StoredMessage[]): void {
    const records = messages.map((queued) => encodeRecord({ queued }));
    const temporary = `${this.#path}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      for (const record of records) writeSync(fd, record);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.#path);
    closeSync(this.#fd);
    this.#fd = openSync(this.#path, 'a');
    this.#live.clear();
    this.#liveBytes = 0;
    this.#fileBytes = 0;
    messages.forEach((m, i) => {
      const bytes = records[i]!.length;
      this.#live.set(m.id, bytes);
      this.#liveBytes += bytes;
      this.#fileBytes += bytes;
    });
    this.#syncDirectory();
  }

  #syncDirectory(): void {
    try {
      const dir = openSync(dirname(this.#path), 'r');
      fsyncSync(dir);
      closeSync(dir);
    } catch {
      // Not every filesystem lets a directory be fsynced; the rename is still atomic.
    }
  }
}

/**
 * The messages a persistent queue file holds unsettled, in the order they were accepted, without
 * changing the file (to inspect it, or to check it in a test). A cut-off or garbled tail is
 * reported to `logger` and ignored.
 */
export function readPersistentQueue(
  path: string,
  logger?: Logger,
): { messages: StoredMessage[]; lastId: number } {
  const data = readFileSync(path);
  const { records, end } = decodeRecords(data);
  if (end < data.length) {
    logger?.warn(
      `mqtt offline queue ${path}: ignored ${data.length - end} byte(s) after offset ${end} that are not a whole record (a write cut off, e.g. by power loss); kept the ${records.length} record(s) before them`,
    );
  }
  const unsettled = new Map<number, StoredMessage>();
  let lastId = 0;
  for (const record of records) {
    if ('done' in record) unsettled.delete(record.done);
    else unsettled.set(record.queued.id, record.queued);
    lastId = Math.max(lastId, 'done' in record ? record.done : record.queued.id);
  }
  return { messages: [...unsettled.values()].sort((a, b) => a.id - b.id), lastId };
}
