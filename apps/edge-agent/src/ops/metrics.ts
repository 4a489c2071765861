import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { agentVersion } from './agent-version.js';

/** The `reason` values of `rxvision_mqtt_dropped_total`: the publisher's `dropped` figures. */
export const MQTT_DROP_REASONS = ['overflow', 'expired', 'offline', 'snapshot_oversize'] as const;

/**
 * The agent's Prometheus metrics, in their own registry (names follow Prometheus conventions:
 * `_total` counters, base units). docs/metrics.md lists them with what each means.
 */
export class AgentMetrics {
  readonly registry = new Registry();
  readonly framesIn = this.cameraCounter(
    'rxvision_camera_frames_in_total',
    'Frames decoded from the camera.',
  );
  readonly framesProcessed = this.cameraCounter(
    'rxvision_camera_frames_processed_total',
    'Frames that went through detection and tracking.',
  );
  readonly framesDropped = this.cameraCounter(
    'rxvision_camera_frames_dropped_total',
    'Frames dropped because downstream was busy (newest frame wins).',
  );
  readonly reconnects = this.cameraCounter(
    'rxvision_camera_reconnects_total',
    'Times the camera was reopened after an error or end of stream.',
  );
  readonly stalls = this.cameraCounter(
    'rxvision_camera_stalls_total',
    'Times the stall watchdog fired (no frame for stall_timeout).',
  );
  readonly restarts = this.cameraCounter(
    'rxvision_camera_pipeline_restarts_total',
    'Times the camera pipeline was restarted after an unexpected error.',
  );
  readonly eventsPublished = this.counter(
    'rxvision_events_published_total',
    'Event messages (new, update, end) handed to the MQTT publisher, by type.',
    ['camera', 'type'],
  );
  readonly tracksStarted = this.counter(
    'rxvision_tracks_started_total',
    'Tracks confirmed by the tracker, by label.',
    ['camera', 'label'],
  );
  readonly lineCrossings = this.counter(
    'rxvision_line_crossings_total',
    'Counting-line crossings, by line, label and direction (in, out).',
    ['camera', 'line', 'label', 'direction'],
  );
  readonly captureToPublishSeconds = new Histogram({
    name: 'rxvision_capture_to_publish_seconds',
    help: 'From the capture of a frame to its new/update event being handed to the MQTT publisher.',
    labelNames: ['camera'] as const,
    buckets: [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8],
    registers: [this.registry],
  });
  readonly cameraUp = this.gauge('rxvision_camera_up', '1 while the camera is online, 0 otherwise.', [
    'camera',
  ]);
  readonly objects = this.gauge('rxvision_camera_objects', 'Confirmed tracks in the last processed frame.', [
    'camera',
  ]);
  readonly inferenceSeconds = this.histogram(
    'rxvision_inference_seconds',
    'Wall time of one inference call (one batch).',
    [0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56],
  );
  readonly batchSize = this.histogram(
    'rxvision_batch_size',
    'Frames per inference call.',
    [1, 2, 3, 4, 6, 8, 12, 16, 32],
  );
  readonly provider = this.gauge(
    'rxvision_detector_provider',
    'Execution provider serving each detector (value 1 on the label in use).',
    ['detector', 'provider'],
  );
  readonly detectorInfo = this.gauge(
    'rxvision_detector_info',
    'Inference runtime, its version and the execution provider serving each detector (value 1).',
    ['detector', 'runtime', 'provider', 'runtime_version'],
  );
  readonly mqttQueueDepth = this.gauge(
    'rxvision_mqtt_queue_depth',
    'MQTT messages waiting to be delivered.',
    [],
  );
  readonly mqttPublished = this.counter(
    'rxvision_mqtt_messages_published_total',
    'Messages the broker took (acknowledged for QoS 1), by kind (events, detections, counts, …).',
    ['kind'],
  );
  readonly mqttConnected = this.gauge('rxvision_mqtt_connected', '1 while connected to the broker.', []);
  readonly mqttDropped = this.counter(
    'rxvision_mqtt_dropped_total',
    'MQTT messages never delivered, by reason (overflow, expired, offline, snapshot_oversize).',
    ['reason'],
  );
  readonly mqttReconnects = this.counter(
    'rxvision_mqtt_reconnects_total',
    'Successful connections to the broker after the first one.',
    [],
  );
  readonly buildInfo = this.gauge('rxvision_build_info', 'The running agent (value 1).', [
    'version',
    'node_version',
  ]);

  constructor() {
    // process_resident_memory_bytes, process_cpu_seconds_total, nodejs_eventloop_lag_seconds, …
    collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ version: agentVersion(), node_version: process.version }, 1);
    // Every reason from the start at 0, so a rate() over a first drop is not lost.
    for (const reason of MQTT_DROP_REASONS) this.mqttDropped.inc({ reason }, 0);
  }

  private cameraCounter(name: string, help: string): Counter<'camera'> {
    return this.counter(name, help, ['camera']);
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** Per-detector histogram of `buckets`. */
  private histogram(name: string, help: string, buckets: number[]): Histogram<'detector'> {
    return new Histogram({
      name,
      help,
      labelNames: ['detector'] as const,
      buckets,
      registers: [this.registry],
    });
  }

  /** Forgets a removed camera's series so /metrics does not report it forever. */
  removeCamera(camera: string): void {
    for (const metric of [
      this.framesIn,
      this.framesProcessed,
      this.framesDropped,
      this.reconnects,
      this.stalls,
      this.restarts,
      this.cameraUp,
      this.objects,
    ]) {
      metric.remove({ camera });
    }
    this.captureToPublishSeconds.remove({ camera });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
