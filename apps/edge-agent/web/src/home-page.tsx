import { type CameraSummary, cameras, mjpegUrl } from './api.js';
import { usePoll } from './use-poll.js';

/** `/`: every camera as a tile with its live annotated picture, state, fps, inference ms and count. */
export function HomePage() {
  const { value, error } = usePoll(cameras, 2000, 'home');
  if (!value) return <p class="note">{error ? `cannot reach the agent: ${error}` : 'loading…'}</p>;
  if (value.length === 0) return <p class="note">No cameras are running.</p>;
  return (
    <div class="tiles">
      {value.map((camera) => (
        <CameraTile key={camera.id} camera={camera} />
      ))}
    </div>
  );
}

function CameraTile({ camera }: { camera: CameraSummary }) {
  return (
    <a class="tile" href={`#/camera/${encodeURIComponent(camera.id)}`} data-camera={camera.id}>
      <img class="live" src={mjpegUrl(camera.id, 270)} alt={`${camera.id} live`} />
      <div class="tile-head">
        <strong>{camera.id}</strong>
        <StateBadge camera={camera} />
      </div>
      <div class="figures">
        <span>{camera.fps.toFixed(1)} fps</span>
        <span>{camera.inferenceMs.toFixed(0)} ms inference</span>
        <span>{camera.objects} objects</span>
      </div>
      {camera.state !== 'online' && camera.lastError ? <div class="why">{camera.lastError}</div> : null}
    </a>
  );
}

export function StateBadge({ camera }: { camera: CameraSummary }) {
  return (
    <span class={`state state-${camera.state}`} data-state={camera.state}>
      {camera.state}
    </span>
  );
}
