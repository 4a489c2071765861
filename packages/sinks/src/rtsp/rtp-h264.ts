/** Payload bytes per RTP packet: stays under a 1500-byte Ethernet MTU with IP/UDP/RTP headers. */
export const RTP_MAX_PAYLOAD = 1400;

/**
 * Packs one NAL unit into RTP payloads per RFC 6184: a single-NAL packet when it fits, else
 * FU-A fragments. Returns payloads without the 12-byte RTP header.
 */
export function packetizeNal(nal: Buffer, maxPayload = RTP_MAX_PAYLOAD): Buffer[] {
  if (nal.length <= maxPayload) return [nal];
  const header = nal[0]!;
  const fuIndicator = (header & 0xe0) | 28;
  const type = header & 0x1f;
  const packets: Buffer[] = [];
  for (let offset = 1; offset < nal.length; offset += maxPayload - 2) {
    const end = Math.min(nal.length, offset + maxPayload - 2);
    const fuHeader = (offset === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | type;
    packets.push(Buffer.concat([Buffer.from([fuIndicator, fuHeader]), nal.subarray(offset, end)]));
  }
  return packets;
}

/** A 12-byte RTP header (version 2, payload type 96 by default). */
export function rtpHeader(
  seq: number,
  timestamp: number,
  ssrc: number,
  marker: boolean,
  payloadType = 96,
): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (marker ? 0x80 : 0) | payloadType;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(timestamp >>> 0, 4);
  header.writeUInt32BE(ssrc >>> 0, 8);
  return header;
}
