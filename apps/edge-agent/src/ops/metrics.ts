import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The agent's Prometheus metrics, in their own registry (names follow Prometheus conventions:
 * `_total` counters, base units). docs/metrics.md lists them with what each means.
 */
export class AgentMetrics {
  readonly registry = new Registry();
  readonly framesIn = this.counter('rxvision_camera_frames_in_total', 'Frames decoded from the camera.');
  readonly framesProcessed = this.counter(
    'rxvision_camera_frames_processed_total',
    'Frames that went through detection and tracking.',
  );
  readonly framesDropped = this.counter(
    'rxvision_camera_frames_dropped_total',
    'Frames dropped because downstream was busy (newest frame wins).',
  );
  readonly reconnects = this.counter(
    'rxvision_camera_reconnects_total',
    'Times the camera was reopened after an error or end of stream.',
  );
  readonly stalls = this.counter(
    'rxvision_camera_stalls_total',
    'Times the stall watchdog fired (no frame for stall_timeout).',
  );
  readonly restarts = this.counter(
    'rxvision_camera_pipeline_restarts_total',
    'Times the camera pipeline was restarted after an unexpected error.',
  );
  readonly eventsPublished = new Counter({
    name: 'rxvision_events_published_total',
    help: 'Track events handed to MQTT, by type.',
    labelNames: ['camera', 'type'] as const,
    registers: [this.registry],
  });
  readonly cameraUp = new Gauge({
    name: 'rxvision_camera_up',
    help: '1 while the camera is online, 0 otherwise.',
    labelNames: ['camera'] as const,
    registers: [this.registry],
  });
  readonly objects = new Gauge({
    name: 'rxvision_camera_objects',
    help: 'Confirmed tracks in the last processed frame.',
    labelNames: ['camera'] as const,
    registers: [this.registry],
  });
  readonly inferenceSeconds = new Histogram({
    name: 'rxvision_inference_seconds',
    help: 'Wall time of one inference call (one batch).',
    labelNames: ['detector'] as const,
    buckets: [0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'rxvision_batch_size',
    help: 'Frames per inference call.',
    labelNames: ['detector'] as const,
    buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32],
    registers: [this.registry],
  });
  readonly provider = new Gauge({
    name: 'rxvision_detector_provider',
    help: 'Execution provider serving each detector (value 1 on the label in use).',
    labelNames: ['detector', 'provider'] as const,
    registers: [this.registry],
  });
  readonly mqttQueueDepth = new Gauge({
    name: 'rxvision_mqtt_queue_depth',
    help: 'MQTT messages waiting to be delivered.',
    registers: [this.registry],
  });
  readonly mqttPublished = new Counter({
    name: 'rxvision_mqtt_messages_published_total',
    help: 'Messages the broker took (acknowledged for QoS 1), by kind (events, detections, counts, …).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly mqttConnected = new Gauge({
    name: 'rxvision_mqtt_connected',
    help: '1 while connected to the broker.',
    registers: [this.registry],
  });

  private counter(name: string, help: string): Counter<'camera'> {
    return new Counter({ name, help, labelNames: ['camera'] as const, registers: [this.registry] });
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
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
