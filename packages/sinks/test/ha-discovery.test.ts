import { describe, expect, it } from 'vitest';
import { type DiscoveryTopics, discoveryId, discoveryMessages } from '../src/mqtt/ha-discovery.js';

const FRIGATE_TOPICS: DiscoveryTopics = {
  topicPrefix: 'rxvision',
  discoveryPrefix: 'homeassistant',
  availableTopic: 'rxvision/available',
  statsTopic: 'rxvision/stats',
};
const FLEET_TOPICS: DiscoveryTopics = {
  ...FRIGATE_TOPICS,
  availableTopic: 'rxvision/agents/box-2/available',
  statsTopic: 'rxvision/agents/box-2/stats',
  agentId: 'box-2',
};
const ENTITIES = { labels: ['person', 'car'], zones: ['porch'], lines: ['gate'], snapshots: true };

interface Config {
  readonly unique_id: string;
  readonly name: string;
  readonly device: { readonly identifiers: string[] };
  readonly availability: Array<{ topic: string; value_template?: string }>;
  readonly availability_mode?: string;
  readonly state_topic?: string;
  readonly image_topic?: string;
  readonly value_template?: string;
  readonly state_class?: string;
}

const configsOf = (topics: DiscoveryTopics) =>
  new Map(
    discoveryMessages('front', ENTITIES, topics).map((m) => [m.topic, JSON.parse(m.payload) as Config]),
  );

describe('Home Assistant discovery configs', () => {
  it('without an agent id: Frigate-style ids, availability on <prefix>/available and the camera status', () => {
    const configs = configsOf(FRIGATE_TOPICS);
    const count = configs.get('homeassistant/sensor/rxvision/front_person_count/config');
    expect(count?.unique_id).toBe('rxvision_front_person_count');
    expect(count?.device.identifiers).toEqual(['rxvision_front']);
    expect(count?.availability_mode).toBe('all');
    expect(count?.availability.map((a) => a.topic)).toEqual(['rxvision/available', 'rxvision/front/status']);
    expect(count?.availability[1]?.value_template).toContain("value_json.state == 'online'");
    expect(count?.state_topic).toBe('rxvision/front/person');
    expect(configs.get('homeassistant/sensor/rxvision/front_porch_car_count/config')?.state_topic).toBe(
      'rxvision/porch/car',
    );
  });

  it('declares line totals, snapshots, connectivity, fps and inference time', () => {
    const configs = configsOf(FRIGATE_TOPICS);
    const gateIn = configs.get('homeassistant/sensor/rxvision/front_gate_in/config');
    expect(gateIn).toMatchObject({ state_topic: 'rxvision/front/gate/in', state_class: 'total_increasing' });
    expect(configs.get('homeassistant/sensor/rxvision/front_gate_out/config')?.state_topic).toBe(
      'rxvision/front/gate/out',
    );
    expect(configs.get('homeassistant/image/rxvision/front_car_snapshot/config')?.image_topic).toBe(
      'rxvision/front/car/snapshot',
    );
    const fps = configs.get('homeassistant/sensor/rxvision/front_fps/config');
    expect(fps?.state_topic).toBe('rxvision/stats');
    expect(fps?.value_template).toContain('"front"');
    expect(fps?.value_template).toContain('camera_fps');
    expect(
      configs.get('homeassistant/sensor/rxvision/front_inference_speed/config')?.value_template,
    ).toContain('inference_speed');
    // Connectivity reports the camera going offline, so only the agent's availability gates it.
    const connectivity = configs.get('homeassistant/binary_sensor/rxvision/front_connectivity/config');
    expect(connectivity?.state_topic).toBe('rxvision/front/status');
    expect(connectivity?.availability.map((a) => a.topic)).toEqual(['rxvision/available']);
    const ids = [...configs.values()].map((c) => c.unique_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('with an agent id: it is in every node id, unique id and identifier, and availability is the agent’s own topic', () => {
    const configs = configsOf(FLEET_TOPICS);
    const count = configs.get('homeassistant/sensor/rxvision_box-2/front_person_count/config');
    expect(count?.unique_id).toBe('rxvision_box-2_front_person_count');
    expect(count?.device.identifiers).toEqual(['rxvision_box-2_front']);
    expect(count?.availability.map((a) => a.topic)).toEqual([
      'rxvision/agents/box-2/available',
      'rxvision/front/status',
    ]);
    expect(configs.get('homeassistant/sensor/rxvision_box-2/front_fps/config')?.state_topic).toBe(
      'rxvision/agents/box-2/stats',
    );
    for (const [topic, config] of configs) {
      expect(topic).toMatch(/^homeassistant\/[a-z_]+\/rxvision_box-2\//);
      expect(config.unique_id.startsWith('rxvision_box-2_')).toBe(true);
    }
    // Two agents' ids for the same camera never collide.
    const other = new Set([...configsOf(FRIGATE_TOPICS).values()].map((c) => c.unique_id));
    for (const config of configs.values()) expect(other.has(config.unique_id)).toBe(false);
  });

  it('builds every id in one function, keeping what HA accepts', () => {
    expect(discoveryId({ topicPrefix: 'home/cams' }, 'front door', 'person_count')).toBe(
      'home_cams_front_door_person_count',
    );
    expect(discoveryId({ topicPrefix: 'rxvision', agentId: 'box.1' })).toBe('rxvision_box_1');
  });

  it('declares no snapshot image without snapshots and no line sensors without lines', () => {
    const topics = discoveryMessages('front', { labels: ['person'], zones: [] }, FRIGATE_TOPICS).map(
      (m) => m.topic,
    );
    expect(topics.some((t) => t.includes('/image/'))).toBe(false);
    expect(topics.some((t) => t.endsWith('_in/config'))).toBe(false);
  });
});
