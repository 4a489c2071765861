import { useEffect, useState } from 'preact/hooks';
import { type CameraSummary, cameras, mjpegUrl } from './api.js';
import { usePoll } from './use-poll.js';

/**
 * Tiles streamed as MJPEG; the rest refresh `latest.jpg` each second. Each stream holds one of the
 * 6 connections a browser opens to one host over HTTP/1.1, and the page's own requests need the others.
 */
const STREAMED_TILES = 4;

/** `/`: every camera as a tile with its live annotated picture, state, fps, inference ms and count. */
export function HomePage() {
  const { value, error } = usePoll(cameras, 2000, 'home');
  if (!value) return <p class="note">{error ? `cannot reach the agent: ${error}` : 'loading…'}</p>;
  if (value.length === 0) return <p class="note">No cameras are running.</p>;
  return (
    <div class="tiles">
      {value.map((camera, i) => (
        <CameraTile key={camera.id} camera={camera} streamed={i < STREAMED_TILES} />
      ))}
    </div>
  );
}

function CameraTile({ camera, streamed }: { camera: CameraSummary; streamed: boolean }) {
  return (
    <a class="tile" href={`#/camera/${encodeURIComponent(camera.id)}`} data-camera={camera.id}>
      {streamed ? (
        <img class="live" src={mjpegUrl(camera.id, 270)} alt={`${camera.id} live`} />
      ) : (
        <RefreshedStill camera={camera.id} />
      )}
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

/** A tile's picture as `latest.jpg`, fetched again every second. */
function RefreshedStill({ camera }: { camera: string }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const src = `/api/${encodeURIComponent(camera)}/latest.jpg?h=270&bbox=1&t=${tick}`;
  return <img class="live" src={src} alt={`${camera} live`} />;
}
