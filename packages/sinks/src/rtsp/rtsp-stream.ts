import { randomInt } from 'node:crypto';
import { NAL, nalType } from './nal.js';
import { packetizeNal, rtpHeader } from './rtp-h264.js';

/** Where one playing client gets its RTP packets. */
export interface RtpSink {
  send(packet: Buffer): void;
  /** Bytes buffered and not yet sent; a slow client above the limit skips frames until the next keyframe. */
  readonly backlog: number;
}

interface Client {
  readonly sink: RtpSink;
  seq: number;
  /** Waits for a keyframe before the first packet, and again after falling behind. */
  waitingForKeyframe: boolean;
}

const MAX_CLIENT_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * One H.264 stream at one RTSP path: keeps the latest SPS/PPS for the SDP, and fans each access
 * unit out to the playing clients as RTP.
 */
export class RtspStream {
  sps?: Buffer;
  pps?: Buffer;
  width = 0;
  height = 0;
  fps = 0;
  readonly #clients = new Set<Client>();
  readonly ssrc = randomInt(0, 2 ** 32 - 1);
  lastTimestamp = 0;

  /** `maxClientBacklogBytes`: queued bytes above which a client skips to the next keyframe. */
  constructor(
    readonly path: string,
    readonly maxClientBacklogBytes = MAX_CLIENT_BACKLOG_BYTES,
  ) {}

  get clientCount(): number {
    return this.#clients.size;
  }

  addClient(sink: RtpSink): () => void {
    const client: Client = { sink, seq: randomInt(0, 0xffff), waitingForKeyframe: true };
    this.#clients.add(client);
    return () => this.#clients.delete(client);
  }

  /** Sends one access unit (all NAL units of one picture) stamped with a 90 kHz timestamp. */
  sendAccessUnit(nals: readonly Buffer[], timestamp: number): void {
    this.lastTimestamp = timestamp;
    let keyframe = false;
    for (const nal of nals) {
      const type = nalType(nal);
      if (type === NAL.SPS) this.sps = nal;
      else if (type === NAL.PPS) this.pps = nal;
      else if (type === NAL.IDR) keyframe = true;
    }
    if (this.#clients.size === 0) return;
    const sendable = nals.filter((n) => nalType(n) !== NAL.AUD);
    for (const client of this.#clients) {
      try {
        this.#sendTo(client, sendable, keyframe, timestamp);
      } catch {
        // A sink that throws loses its place; the other players keep theirs.
        this.#clients.delete(client);
      }
    }
  }

  #sendTo(client: Client, sendable: readonly Buffer[], keyframe: boolean, timestamp: number): void {
    // Behind: skip every picture, keyframes too (sending those anyway let the queue grow without
    // bound), and resume at the first keyframe once the queue is back under the limit.
    if (client.sink.backlog > this.maxClientBacklogBytes) {
      client.waitingForKeyframe = true;
      return;
    }
    if (client.waitingForKeyframe && !keyframe) return;
    client.waitingForKeyframe = false;
    // A keyframe without in-band parameter sets would not decode for a client that just joined.
    const units =
      keyframe && !sendable.some((n) => nalType(n) === NAL.SPS) && this.sps && this.pps
        ? [this.sps, this.pps, ...sendable]
        : sendable;
    units.forEach((nal, i) => {
      const payloads = packetizeNal(nal);
      payloads.forEach((payload, j) => {
        const marker = i === units.length - 1 && j === payloads.length - 1;
        client.sink.send(Buffer.concat([rtpHeader(client.seq, timestamp, this.ssrc, marker), payload]));
        client.seq = (client.seq + 1) & 0xffff;
      });
    });
  }

  /** The session description for DESCRIBE (RFC 6184 fmtp with the parameter sets). */
  sdp(host: string): string {
    const lines = [
      'v=0',
      `o=- ${this.ssrc} 1 IN IP4 ${host}`,
      `s=rxvision ${this.path}`,
      'c=IN IP4 0.0.0.0',
      't=0 0',
      'a=control:*',
      'm=video 0 RTP/AVP 96',
      'a=rtpmap:96 H264/90000',
    ];
    const fmtp = ['packetization-mode=1'];
    if (this.sps && this.pps) {
      fmtp.push(`profile-level-id=${this.sps.subarray(1, 4).toString('hex')}`);
      fmtp.push(`sprop-parameter-sets=${this.sps.toString('base64')},${this.pps.toString('base64')}`);
    }
    lines.push(`a=fmtp:96 ${fmtp.join(';')}`);
    if (this.fps > 0) lines.push(`a=framerate:${this.fps}`);
    if (this.width > 0) lines.push(`a=x-dimensions:${this.width},${this.height}`);
    lines.push('a=control:trackID=0');
    return `${lines.join('\r\n')}\r\n`;
  }
}
