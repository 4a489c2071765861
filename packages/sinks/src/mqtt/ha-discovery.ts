/** What Home Assistant should show for one camera. */
export interface CameraEntities {
  /** Labels that get a count sensor (Frigate `objects.track`). */
  readonly labels: readonly string[];
  /** Zones that get a count sensor per label. */
  readonly zones: readonly string[];
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
 * Home Assistant MQTT discovery configs for one camera: a device with a count sensor per label
 * and per zone × label, an occupancy binary sensor, all tied to `<prefix>/available`.
 */
export function discoveryMessages(
  camera: string,
  entities: CameraEntities,
  topicPrefix: string,
  discoveryPrefix: string,
): DiscoveryMessage[] {
  const node = haId(topicPrefix);
  const device = {
    identifiers: [`${node}_${haId(camera)}`],
    name: camera,
    manufacturer: 'rxvision',
    model: 'edge-agent camera',
  };
  const common = {
    availability_topic: `${topicPrefix}/available`,
    payload_available: 'online',
    payload_not_available: 'offline',
    device,
  };
  const sensor = (objectId: string, name: string, stateTopic: string): DiscoveryMessage => ({
    topic: `${discoveryPrefix}/sensor/${node}/${haId(objectId)}/config`,
    payload: JSON.stringify({
      name,
      unique_id: `${node}_${haId(objectId)}`,
      state_topic: stateTopic,
      state_class: 'measurement',
      icon: 'mdi:counter',
      ...common,
    }),
  });
  const messages = entities.labels.map((label) =>
    sensor(`${camera}_${label}_count`, `${label} count`, `${topicPrefix}/${camera}/${label}`),
  );
  for (const zone of entities.zones) {
    for (const label of entities.labels) {
      messages.push(
        sensor(
          `${camera}_${zone}_${label}_count`,
          `${zone} ${label} count`,
          `${topicPrefix}/${zone}/${label}`,
        ),
      );
    }
  }
  const occupancyId = `${camera}_occupancy`;
  messages.push({
    topic: `${discoveryPrefix}/binary_sensor/${node}/${haId(occupancyId)}/config`,
    payload: JSON.stringify({
      name: 'occupancy',
      unique_id: `${node}_${haId(occupancyId)}`,
      state_topic: `${topicPrefix}/${camera}/all`,
      value_template: "{{ 'ON' if (value | int(0)) > 0 else 'OFF' }}",
      device_class: 'occupancy',
      ...common,
    }),
  });
  return messages;
}
