/** What Home Assistant should show for one camera. */
export interface CameraEntities {
  /** Labels that get a count sensor and, with `snapshots`, an image entity (Frigate `objects.track`). */
  readonly labels: readonly string[];
  /** Zones that get a count sensor per label. */
  readonly zones: readonly string[];
  /** Counting lines that get an `in` and an `out` total sensor. */
  readonly lines?: readonly string[];
  /** The camera publishes snapshot JPEGs (`<prefix>/<camera>/<label>/snapshot`). Default false. */
  readonly snapshots?: boolean;
}

/** Where the agent's topics live, as discovery configs point at them. */
export interface DiscoveryTopics {
  /** The MQTT topic prefix (Frigate `mqtt.topic_prefix`). */
  readonly topicPrefix: string;
  /** HA's discovery prefix (HA `discovery_prefix`). */
  readonly discoveryPrefix: string;
  /** The agent's Last Will / availability topic. */
  readonly availableTopic: string;
  /** The agent's stats topic (fps and inference time per camera). */
  readonly statsTopic: string;
  /** Set when several agents share a broker: it goes into every node id, unique id and device identifier. */
  readonly agentId?: string;
}

export interface DiscoveryMessage {
  readonly topic: string;
  readonly payload: string;
}

/** Keeps what HA accepts in a node or object id. */
function haId(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/**
 * The one place discovery ids are built: `<prefix>[_<agentId>]` as the node id, and that joined
 * with `parts` for unique ids and device identifiers, so two agents on one broker never collide.
 */
export function discoveryId(
  topics: Pick<DiscoveryTopics, 'topicPrefix' | 'agentId'>,
  ...parts: string[]
): string {
  return [topics.topicPrefix, ...(topics.agentId ? [topics.agentId] : []), ...parts].map(haId).join('_');
}

/**
 * Home Assistant MQTT discovery configs for one camera, as one device: a count sensor per label
 * and per zone × label, an occupancy binary sensor, `in`/`out` total sensors per line, an image
 * entity per label's snapshot, fps and inference-time sensors from the stats topic, and a
 * connectivity binary sensor from the camera's status. Every entity but connectivity is available
 * only while both the agent and the camera are online (`availability_mode: all`).
 */
export function discoveryMessages(
  camera: string,
  entities: CameraEntities,
  topics: DiscoveryTopics,
): DiscoveryMessage[] {
  const { topicPrefix, discoveryPrefix } = topics;
  const node = discoveryId(topics);
  const statusTopic = `${topicPrefix}/${camera}/status`;
  const agentAvailability = {
    topic: topics.availableTopic,
    payload_available: 'online',
    payload_not_available: 'offline',
  };
  const device = {
    identifiers: [discoveryId(topics, camera)],
    name: camera,
    manufacturer: 'rxvision',
    model: 'edge-agent camera',
  };
  const common = {
    availability: [
      agentAvailability,
      {
        topic: statusTopic,
        value_template: "{{ 'online' if value_json.state == 'online' else 'offline' }}",
        payload_available: 'online',
        payload_not_available: 'offline',
      },
    ],
    availability_mode: 'all',
    device,
  };
  const config = (
    component: string,
    objectId: string,
    fields: Record<string, unknown>,
  ): DiscoveryMessage => ({
    topic: `${discoveryPrefix}/${component}/${node}/${haId(`${camera}_${objectId}`)}/config`,
    payload: JSON.stringify({ unique_id: discoveryId(topics, camera, objectId), ...common, ...fields }),
  });
  const count = (objectId: string, name: string, stateTopic: string) =>
    config('sensor', objectId, {
      name,
      state_topic: stateTopic,
      state_class: 'measurement',
      icon: 'mdi:counter',
    });

  const messages = entities.labels.map((label) =>
    count(`${label}_count`, `${label} count`, `${topicPrefix}/${camera}/${label}`),
  );
  for (const zone of entities.zones) {
    for (const label of entities.labels) {
      messages.push(
        count(`${zone}_${label}_count`, `${zone} ${label} count`, `${topicPrefix}/${zone}/${label}`),
      );
    }
  }
  messages.push(
    config('binary_sensor', 'occupancy', {
      name: 'occupancy',
      state_topic: `${topicPrefix}/${camera}/all`,
      value_template: "{{ 'ON' if (value | int(0)) > 0 else 'OFF' }}",
      device_class: 'occupancy',
    }),
  );
  for (const line of entities.lines ?? []) {
    for (const direction of ['in', 'out']) {
      messages.push(
        config('sensor', `${line}_${direction}`, {
          name: `${line} ${direction}`,
          state_topic: `${topicPrefix}/${camera}/${line}/${direction}`,
          state_class: 'total_increasing',
          icon: direction === 'in' ? 'mdi:arrow-right-bold' : 'mdi:arrow-left-bold',
        }),
      );
    }
  }
  if (entities.snapshots) {
    for (const label of entities.labels) {
      messages.push(
        config('image', `${label}_snapshot`, {
          name: `${label} snapshot`,
          image_topic: `${topicPrefix}/${camera}/${label}/snapshot`,
          content_type: 'image/jpeg',
        }),
      );
    }
  }
  const stat = (objectId: string, name: string, key: string, unit: string, icon: string) =>
    config('sensor', objectId, {
      name,
      state_topic: topics.statsTopic,
      value_template: `{{ (value_json.cameras[${JSON.stringify(camera)}] | default({})).${key} | default(0) }}`,
      unit_of_measurement: unit,
      state_class: 'measurement',
      entity_category: 'diagnostic',
      icon,
    });
  messages.push(
    stat('fps', 'fps', 'camera_fps', 'fps', 'mdi:speedometer'),
    stat('inference_speed', 'inference time', 'inference_speed', 'ms', 'mdi:timer-outline'),
  );
  // Connectivity must stay available while the camera is offline: that is what it reports.
  messages.push({
    topic: `${discoveryPrefix}/binary_sensor/${node}/${haId(`${camera}_connectivity`)}/config`,
    payload: JSON.stringify({
      unique_id: discoveryId(topics, camera, 'connectivity'),
      name: 'camera',
      state_topic: statusTopic,
      value_template: "{{ 'ON' if value_json.state == 'online' else 'OFF' }}",
      device_class: 'connectivity',
      entity_category: 'diagnostic',
      availability: [agentAvailability],
      device,
    }),
  });
  return messages;
}
