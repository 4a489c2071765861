/** What the page reads from the agent: `/api/cameras`, `/web/cameras/<camera>`, `/api/events`. */

export type Point = readonly [number, number];

export interface CameraSummary {
  readonly id: string;
  readonly state: string;
  readonly fps: number;
  readonly inferenceMs: number;
  readonly objects: number;
  readonly lastError?: string;
}

export interface Area {
  readonly name: string;
  readonly points: readonly Point[];
}

export interface StatsSample {
  readonly t: number;
  readonly fps: number;
  readonly inferenceMs: number;
  readonly objects: number;
}

export interface CameraDetail {
  readonly camera: string;
  readonly frame: { readonly width: number; readonly height: number } | null;
  readonly zones: readonly Area[];
  readonly lines: readonly Area[];
  readonly counts: Readonly<Record<string, number>>;
  readonly lineTotals: readonly { line: string; label: string; direction: string; count: number }[];
  readonly history: readonly StatsSample[];
  /** The config file the editor's apply writes, or why apply is unavailable. */
  readonly apply: { readonly file: string } | { readonly unavailable: string };
}

export interface FrigateEvent {
  readonly id: string;
  readonly label: string;
  readonly start_time: number;
  readonly end_time: number | null;
  readonly has_snapshot: boolean;
  readonly zones: readonly string[];
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

export const cameras = () => getJson<CameraSummary[]>('/api/cameras');
export const cameraDetail = (id: string) => getJson<CameraDetail>(`/web/cameras/${encodeURIComponent(id)}`);
export const events = (id: string) =>
  getJson<FrigateEvent[]>(`/api/events?camera=${encodeURIComponent(id)}&limit=12&has_snapshot=1`);

/** Frigate's MJPEG URL: `bbox=1` draws tracks, `zones=1` zones and lines. */
export const mjpegUrl = (id: string, height: number, fps = 2) =>
  `/api/${encodeURIComponent(id)}?fps=${fps}&height=${height}&bbox=1&zones=1`;

/** The editor's apply: writes one zone or line into the agent's config file and reloads; the agent's message. */
export async function applyArea(
  camera: string,
  area: { kind: 'zone' | 'line'; name: string; coordinates: [number, number][]; relative: boolean },
): Promise<{ ok: boolean; message: string }> {
  const response = await fetch(`/api/${encodeURIComponent(camera)}/areas`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(area),
  });
  const reply = (await response.json().catch(() => ({}))) as { message?: string };
  return { ok: response.ok, message: reply.message ?? `${response.status}` };
}
