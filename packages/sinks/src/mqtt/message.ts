/** MQTT quality of service. */
export type QoS = 0 | 1 | 2;

/** What a message is, which decides its QoS, retention and fate while the broker is away. */
export type MessageKind =
  | 'available'
  | 'events'
  | 'detections'
  | 'counts'
  | 'status'
  | 'snapshot'
  | 'stats'
  | 'discovery';

/** QoS per kind unless `qos` overrides it. */
export const DEFAULT_QOS: Readonly<Record<MessageKind, QoS>> = {
  available: 1,
  events: 1,
  detections: 0,
  counts: 1,
  status: 1,
  snapshot: 0,
  stats: 0,
  discovery: 1,
};

/** How one message is sent. */
export interface PublishOptions {
  readonly retain?: boolean;
}

/** One message on its way to the broker. */
export interface OutgoingMessage {
  readonly kind: MessageKind;
  readonly topic: string;
  readonly payload: string | Buffer;
  readonly retain: boolean;
  /** When it first entered the offline queue, kept across requeues for the age bound. */
  readonly queuedAt?: number;
  /** Its record in the persistent offline queue file, settled once the broker acknowledges it. */
  readonly storeId?: number;
}

/** A message waiting for the broker. */
export interface QueuedMessage extends OutgoingMessage {
  readonly qos: QoS;
  /** When it was produced (the queue's clock), for the age bound. */
  readonly queuedAt: number;
}
