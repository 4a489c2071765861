// Test seams: building blocks the sinks' own tests and benches reach for (`@rxvision/sinks/internal`), outside the product API in index.ts.
export { labelColor } from './draw/annotate.js';
export { jsonlRecord } from './jsonl/to-jsonl.js';
export { OfflineQueue } from './mqtt/offline-queue.js';
