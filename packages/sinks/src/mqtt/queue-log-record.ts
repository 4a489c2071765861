import { crc32 } from 'node:zlib';
import type { MessageKind, QoS } from './message.js';

/** A message as the persistent queue file holds it. */
export interface StoredMessage {
  /** Its record id in the file, increasing in the order messages were accepted. */
  readonly id: number;
  readonly kind: MessageKind;
  readonly topic: string;
  readonly payload: string | Buffer;
  readonly retain: boolean;
  readonly qos: QoS;
  readonly queuedAt: number;
}

/** One record: a message accepted (`queued`) or settled — acknowledged or dropped (`done`). */
export type QueueLogRecord = { readonly queued: StoredMessage } | { readonly done: number };

// Frame: u32 body length, u32 CRC-32 of the body, body. Body: 'Q' u32 header length, JSON header, payload; or 'D' u32 id.
const FRAME = 8;
const QUEUED = 0x51;
const DONE = 0x44;

/** Encodes one record with its length and checksum, so a cut-off or garbled tail is recognised on replay. */
export function encodeRecord(record: QueueLogRecord): Buffer {
  let body: Buffer;
  if ('done' in record) {
    body = Buffer.alloc(5);
    body[0] = DONE;
    body.writeUInt32BE(record.done, 1);
  } else {
    const { payload, ...header } = record.queued;
    const json = Buffer.from(JSON.stringify({ ...header, binary: typeof payload !== 'string' }));
    body = Buffer.concat([Buffer.from([QUEUED]), u32(json.length), json, Buffer.from(payload)]);
  }
  return Buffer.concat([u32(body.length), u32(crc32(body)), body]);
}

/** Every whole record of `data` in order, and the offset where whole records end (`data.length` when all are). */
export function decodeRecords(data: Buffer): { records: QueueLogRecord[]; end: number } {
  const records: QueueLogRecord[] = [];
  let at = 0;
  while (at + FRAME <= data.length) {
    const length = data.readUInt32BE(at);
    const sum = data.readUInt32BE(at + 4);
    if (length === 0 || at + FRAME + length > data.length) break;
    const body = data.subarray(at + FRAME, at + FRAME + length);
    if (crc32(body) !== sum) break;
    const record = decodeBody(body);
    if (!record) break;
    records.push(record);
    at += FRAME + length;
  }
  return { records, end: at };
}

function decodeBody(body: Buffer): QueueLogRecord | undefined {
  if (body[0] === DONE && body.length === 5) return { done: body.readUInt32BE(1) };
  if (body[0] !== QUEUED || body.length < 5) return undefined;
  const headerLength = body.readUInt32BE(1);
  if (5 + headerLength > body.length) return undefined;
  try {
    const { binary, ...header } = JSON.parse(body.subarray(5, 5 + headerLength).toString()) as Omit<
      StoredMessage,
      'payload'
    > & { binary: boolean };
    const raw = body.subarray(5 + headerLength);
    return { queued: { ...header, payload: binary ? Buffer.from(raw) : raw.toString() } };
  } catch {
    return undefined;
  }
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}
