import { readFileSync } from 'node:fs';
import type { Detector } from '@rxvision/detector';
import {
  createMqttPublisher,
  createRtspServer,
  type MqttPublisher,
  type RtspServer,
  SnapshotStore,
} from '@rxvision/sinks';
import type { AgentConfig, CameraConfig, MqttConfig } from '../config/types.js';
import type { FleetState } from '../fleet/fleet-member.js';
import { registerFleetMetrics } from '../fleet/fleet-metrics.js';
import { agentVersion } from '../ops/agent-version.js';
import { startConsoleStatus } from '../ops/console-status.js';
import { TotalsSync } from '../ops/counter-sync.js';
import { frigateRoutes } from '../ops/frigate-api/frigate-routes.js';
import { LatestFrames } from '../ops/frigate-api/latest-frames.js';
import { type OpsServer, startOpsServer } from '../ops/http-server.js';
import type { AgentLogger } from '../ops/logger.js';
import { AgentMetrics } from '../ops/metrics.js';
import { opsRoutes } from '../ops/ops-routes.js';
import { publishObserver } from '../ops/publish-observer.js';
import { redactText } from '../ops/redact.js';
import type { AreasEditor } from '../ops/web/areas-editor.js';
import { authGuard } from '../ops/web/auth-guard.js';
import { registerMjpegMetrics } from '../ops/web/mjpeg-metrics.js';
import { StatsHistory } from '../ops/web/stats-history.js';
import { webMjpegHub, webRoutes } from '../ops/web/web-routes.js';
import type { WebSource } from '../ops/web/web-source.js';
import { CameraManager } from './camera-manager.js';
import { cameraPipeline } from './camera-pipeline.js';
import { reapChildren } from './child-reaper.js';
import { type CameraDiff, diffCameras } from './config-diff.js';
import { DetectorPool } from './detector-pool.js';

export interface AgentOptions {
  readonly config: AgentConfig;
  readonly log: AgentLogger;
  /** Where the live console status is drawn when it is a terminal (default stdout). */
  readonly statusStream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** ms a camera gets to finish (end its tracks) when stopped. */
  readonly stopTimeoutMs?: number;
  readonly ffmpegPath?: string;
  /** Where the web editor's apply writes; without one, apply is shown as unavailable. */
  readonly areasEditor?: AreasEditor;
}

/** The agent's part in a fleet, as the agent sees it: what to show, and how to leave. */
export interface FleetHandle {
  state(): FleetState;
  stop(): Promise<void>;
}

/** ms children (FFmpeg) get to exit after everything closed, before they are SIGKILLed. */
const CHILD_EXIT_GRACE_MS = 1000;

/**
 * The running edge agent: one shared detector per `detectors` entry, one pipeline per enabled
 * camera, one MQTT connection, the ops HTTP server, and the console status.
 */
export class Agent {
  readonly metrics = new AgentMetrics();
  /** Recent events and each track's best snapshot, for the Frigate API's `/api/events`. */
  readonly events = new SnapshotStore();
  private readonly latest = new LatestFrames();
  /** The last hour of each camera's figures, for the web page's charts. */
  private readonly history: StatsHistory;
  private readonly startedAt = Date.now();
  private config: AgentConfig;
  private readonly log: AgentLogger;
  private readonly pool: DetectorPool;
  private readonly manager: CameraManager;
  private readonly publisher?: MqttPublisher;
  private readonly totals = new TotalsSync();
  private http?: OpsServer;
  private fleet?: FleetHandle;
  private rtsp?: Promise<RtspServer>;
  private stopStatus: () => void = () => {};
  private stopping?: Promise<void>;
  private reloading: Promise<unknown> = Promise.resolve();
  private resolveIdle: () => void = () => {};
  /** Resolves when every camera has ended by itself (files played once). */
  readonly idle = new Promise<void>((resolve) => {
    this.resolveIdle = resolve;
  });

  private constructor(private readonly options: AgentOptions) {
    this.config = options.config;
    this.log = options.log;
    this.pool = new DetectorPool(this.log);
    this.history = new StatsHistory(() => this.manager.stats());
    const mqtt = this.config.mqtt;
    if (mqtt) {
      this.publisher = createMqttPublisher({
        url: mqtt.url,
        topicPrefix: mqtt.topicPrefix,
        ...(mqtt.clientId ? { clientId: mqtt.clientId } : {}),
        ...(mqtt.user ? { username: mqtt.user } : {}),
        ...(mqtt.password ? { password: mqtt.password } : {}),
        ...mqttTls(mqtt),
        ...(mqtt.qos ? { qos: mqtt.qos } : {}),
        ...(mqtt.statsInterval !== undefined ? { statsIntervalMs: mqtt.statsInterval * 1000 } : {}),
        ...(mqtt.discovery !== undefined ? { discovery: mqtt.discovery } : {}),
        ...(mqtt.discoveryPrefix ? { discoveryPrefix: mqtt.discoveryPrefix } : {}),
        ...(mqtt.offlineQueue ? { offlineQueue: mqtt.offlineQueue } : {}),
        // In a fleet several agents share a broker: each one's availability, stats and HA ids carry its box.
        ...(this.config.fleet ? { agentId: this.config.fleet.box } : {}),
        logger: this.log.child({ component: 'mqtt' }),
      });
    }
    this.manager = new CameraManager(
      (camera, stop$, stats) =>
        cameraPipeline(camera, stop$, stats, {
          detector: async () => {
            const config = this.config.detectors[camera.detector];
            if (!config) throw new Error(`camera ${camera.id}: no detector named "${camera.detector}"`);
            return { detector: await this.pool.get(config), config };
          },
          metrics: this.metrics,
          ...(this.publisher ? { publisher: this.publisher } : {}),
          observer: publishObserver(camera.id, this.events, this.metrics),
          // Only the HTTP API reads it; without it a camera need not decode full frames for it.
          ...(this.config.http.enabled ? { latest: this.latest } : {}),
          restream: () => this.restreamServer(),
          log: this.log.child({ camera: camera.id }),
          ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
        }),
      this.log,
      {
        onRestart: (camera) => this.metrics.restarts.inc({ camera }),
        onEnded: () => {
          if (this.manager.ids().length === 0) this.resolveIdle();
        },
      },
    );
  }

  /** Starts the HTTP server, loads the detectors and starts every enabled camera. */
  static async start(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(options);
    const { http } = agent.config;
    if (http.enabled) {
      const web: WebSource = {
        config: () => agent.config,
        latest: agent.latest,
        history: agent.history,
        lineTotals: async (camera) =>
          (await agent.metrics.lineCrossings.get()).values
            .filter((v) => v.labels.camera === camera)
            .map((v) => ({
              line: String(v.labels.line),
              label: String(v.labels.label),
              direction: String(v.labels.direction),
              count: v.value,
            })),
        ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
        areasEditor: options.areasEditor ?? { unavailable: 'the agent was started without a --config file' },
      };
      const hub = webMjpegHub(web);
      registerMjpegMetrics(agent.metrics.registry, hub);
      const routes = [
        ...opsRoutes({
          health: () => ({ ok: true }),
          ready: () => agent.readiness(),
          metrics: async () => {
            agent.syncMetrics();
            return { contentType: agent.metrics.contentType, body: await agent.metrics.text() };
          },
          cameras: () => agent.cameraInfo(),
        }),
        ...frigateRoutes({
          agentVersion: agentVersion(),
          config: () => agent.config,
          cameras: () => agent.manager.stats(),
          uptimeSeconds: () => Math.round((Date.now() - agent.startedAt) / 1000),
          events: agent.events,
          latest: agent.latest,
          ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
        }),
        ...webRoutes(web, hub),
      ];
      agent.http = await startOpsServer(
        routes,
        http.host,
        http.port,
        agent.log,
        {},
        http.auth ? authGuard(http.auth) : undefined,
      );
      agent.history.start();
    }
    for (const camera of enabledCameras(agent.config)) agent.startCamera(camera);
    agent.stopStatus = startConsoleStatus(
      options.statusStream ?? process.stdout,
      () =>
        agent.manager.stats().map((s) => ({
          camera: s.id,
          state: s.state,
          fps: s.fps,
          inferenceMs: s.inferenceMs,
          objects: s.objects,
          dropped: s.dropped,
          processed: s.framesProcessed,
        })),
      () =>
        `rxvision edge-agent — MQTT ${agent.publisher?.metrics().connected ? 'connected' : agent.publisher ? 'connecting' : 'off'}`,
    );
    return agent;
  }

  /** Joins the agent to a fleet: `/api/cameras` and `/metrics` show its state; `stop()` leaves it first. */
  attachFleet(fleet: FleetHandle): void {
    this.fleet = fleet;
    registerFleetMetrics(this.metrics.registry, () => fleet.state());
  }

  /** The loaded detector named `name` in the config (loading it if no camera has yet). */
  detector(name: string): Promise<Detector> {
    const config = this.config.detectors[name];
    if (!config) return Promise.reject(new Error(`no detector named "${name}"`));
    return this.pool.get(config);
  }

  get httpAddress(): { host: string; port: number } | undefined {
    return this.http ? { host: this.http.host, port: this.http.port } : undefined;
  }

  /**
   * Applies a re-read config: adds, removes and restarts only the cameras that changed.
   * Reloads run one after another, each diffing against the config the previous one left.
   */
  reload(next: AgentConfig): Promise<CameraDiff> {
    // A second SIGHUP arriving while the first still awaits its cameras' stops would otherwise
    // diff against a half-applied config and start a camera the first one starts too.
    const run = this.reloading.then(() => this.applyReload(next));
    this.reloading = run.catch(() => {});
    return run;
  }

  private async applyReload(next: AgentConfig): Promise<CameraDiff> {
    const diff = diffCameras(this.config, next);
    const previous = this.config;
    this.config = { ...next, mqtt: previous.mqtt, http: previous.http };
    if (next.logLevel !== previous.logLevel) this.log.setLevel(next.logLevel);
    if (!sameJson(previous.mqtt, next.mqtt) || !sameJson(previous.http, next.http)) {
      this.log.warn('mqtt and http settings change only on restart; kept the running ones');
    }
    await Promise.all([...diff.removed, ...diff.changed].map((id) => this.stopCamera(id)));
    // Home Assistant drops a removed camera's entities; a changed one re-declares its own when it starts.
    for (const id of diff.removed) this.publisher?.unregisterCamera(id);
    for (const id of [...diff.changed, ...diff.added]) {
      const camera = next.cameras[id];
      if (camera) this.startCamera(camera);
    }
    await this.pool.retain(enabledCameras(next).map((c) => c.detector));
    this.log.info('config reloaded', { ...diff });
    return diff;
  }

  /**
   * Stops every camera (each ends its open tracks, whose `end` events are published), flushes
   * MQTT for a bounded time, publishes `offline`, and closes everything. Idempotent.
   */
  stop(timeoutMs = this.options.stopTimeoutMs ?? 10_000): Promise<void> {
    this.stopping ??= (async () => {
      this.stopStatus();
      this.history.stop();
      // Leaving first hands this box's fleet cameras to the others while it shuts down.
      await this.fleet
        ?.stop()
        .catch((err: Error) => this.log.warn('fleet: leave failed', { error: err.message }));
      this.log.info('stopping', { cameras: this.manager.ids() });
      await this.manager.stopAll(timeoutMs / 2);
      if (this.publisher) {
        const flushed = await this.publisher.close(timeoutMs / 2);
        if (!flushed)
          this.log.warn('MQTT queue not fully delivered before shutdown', { ...this.publisher.metrics() });
      }
      await this.pool.closeAll();
      await this.rtsp?.then(
        (server) => server.close(),
        () => {},
      );
      await this.http?.close();
      await reapChildren(CHILD_EXIT_GRACE_MS, this.log);
      this.log.info('stopped');
    })();
    return this.stopping;
  }

  cameraInfo(): unknown {
    const fleet = this.fleet?.state();
    return this.manager.stats().map((s) => ({
      ...s,
      ...(fleet
        ? { fleet: { box: fleet.box, role: fleet.role, assignmentRevision: fleet.assignmentRevision } }
        : {}),
      detector: this.pool.describe(this.config.cameras[s.id]?.detector),
      config: redactCamera(this.config.cameras[s.id]),
    }));
  }

  readiness(): { ok: boolean; detail: Record<string, string> } {
    const detail: Record<string, string> = {};
    for (const d of this.pool.list()) if (!d.detector) detail[`detector ${d.name}`] = 'loading';
    for (const s of this.manager.stats()) if (s.state !== 'online') detail[`camera ${s.id}`] = s.state;
    if (this.publisher && !this.publisher.metrics().connected) detail.mqtt = 'not connected';
    if (this.manager.ids().length === 0) detail.cameras = 'none running';
    return { ok: Object.keys(detail).length === 0, detail };
  }

  /** The RTSP server for annotated restreams, started when the first camera asks for one. */
  private restreamServer(): Promise<RtspServer> {
    if (!this.rtsp) {
      const { port, host, credentials } = this.config.rtsp;
      const server = createRtspServer({
        port,
        host,
        ...(credentials ? { credentials } : {}),
        logger: this.log.child({ component: 'rtsp' }),
      });
      server.then(
        (s) =>
          this.log.info('RTSP restream server listening', {
            // The address it bound (port 0 becomes the real one); a wildcard host says so.
            url: s.url('', host.includes(':') ? `[${host}]` : host),
            login: credentials ? 'required' : 'none',
          }),
        (err: Error) => {
          this.rtsp = undefined;
          this.log.error('RTSP restream server failed to start', {
            listen: `${host}:${port}`,
            error: err.message,
            hint: 'set rtsp.listen to a free host:port',
          });
        },
      );
      this.rtsp = server;
    }
    return this.rtsp;
  }

  private startCamera(camera: CameraConfig): void {
    this.manager.start(camera);
  }

  private async stopCamera(id: string): Promise<void> {
    await this.manager.stop(id, this.options.stopTimeoutMs ?? 5000);
    this.metrics.removeCamera(id);
    this.latest.forget(id);
    this.totals.forget(`camera:${id}`);
  }

  /** Pulls the detectors' and the publisher's running totals into the registry before a scrape. */
  private syncMetrics(): void {
    this.metrics.provider.reset();
    this.metrics.detectorInfo.reset();
    for (const { name, detector } of this.pool.list()) {
      if (!detector) continue;
      const stats = detector.stats();
      this.metrics.provider.set({ detector: name, provider: stats.provider }, 1);
      this.metrics.detectorInfo.set(
        {
          detector: name,
          runtime: detector.runtime,
          provider: detector.provider,
          runtime_version: detector.runtimeVersion,
        },
        1,
      );
      this.totals.histogram(`detector:${name}`, this.metrics.batchSize, { detector: name }, stats.batchSizes);
    }
    for (const s of this.manager.stats()) {
      const camera = s.id;
      this.totals.counter(`camera:${camera}:dropped`, this.metrics.framesDropped, { camera }, s.dropped);
      this.totals.counter(`camera:${camera}:stalls`, this.metrics.stalls, { camera }, s.stalls);
      this.totals.counter(`camera:${camera}:reconnects`, this.metrics.reconnects, { camera }, s.reconnects);
    }
    if (this.publisher) {
      const m = this.publisher.metrics();
      this.metrics.mqttQueueDepth.set(m.queueDepth + m.inFlight);
      this.metrics.mqttConnected.set(m.connected ? 1 : 0);
      for (const [kind, total] of Object.entries(m.published)) {
        this.totals.counter(`mqtt:${kind}`, this.metrics.mqttPublished, { kind }, total);
      }
      const { overflow, expired, offline, snapshotOversize } = m.dropped;
      const drops = { overflow, expired, offline, snapshot_oversize: snapshotOversize };
      for (const [reason, total] of Object.entries(drops)) {
        this.totals.counter(`mqtt:dropped:${reason}`, this.metrics.mqttDropped, { reason }, total);
      }
      this.totals.counter('mqtt:reconnects', this.metrics.mqttReconnects, {}, m.reconnects);
    }
  }
}

function enabledCameras(config: AgentConfig): CameraConfig[] {
  return Object.values(config.cameras).filter((c) => c.enabled);
}

function redactCamera(camera: CameraConfig | undefined): unknown {
  if (!camera) return undefined;
  const { publishUrl } = camera.restream;
  return {
    ...camera,
    url: redactText(camera.url),
    ...(publishUrl ? { restream: { ...camera.restream, publishUrl: redactText(publishUrl) } } : {}),
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** mqtt.js wants the PEM contents; the config names the files (Frigate `tls_ca_certs`, …). */
function mqttTls(mqtt: MqttConfig): {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
} {
  const tls = mqtt.tls;
  if (!tls) return {};
  return {
    ...(tls.caFile ? { ca: readPem(tls.caFile, 'tls_ca_certs') } : {}),
    ...(tls.certFile ? { cert: readPem(tls.certFile, 'tls_client_cert') } : {}),
    ...(tls.keyFile ? { key: readPem(tls.keyFile, 'tls_client_key') } : {}),
    ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
  };
}

function readPem(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`mqtt.${key}: cannot read ${file}: ${(error as Error).message}`);
  }
}
