import { type CameraDetail, cameraDetail, cameras, events, mjpegUrl } from './api.js';
import { Chart } from './chart.js';
import { StateBadge } from './home-page.js';
import { usePoll } from './use-poll.js';

/** A camera: the live view large (zones and lines drawn), recent events, line totals, the hour's charts. */
export function CameraPage({ camera }: { camera: string }) {
  const summary = usePoll(cameras, 2000, `summary-${camera}`).value?.find((c) => c.id === camera);
  const detail = usePoll(() => cameraDetail(camera), 5000, `detail-${camera}`).value;
  const recent = usePoll(() => events(camera), 3000, `events-${camera}`).value ?? [];
  const id = encodeURIComponent(camera);
  return (
    <section>
      <h2>
        {camera} {summary ? <StateBadge camera={summary} /> : null}{' '}
        <a class="small" href={`#/camera/${id}/editor`}>
          edit zones and lines
        </a>
      </h2>
      <img class="live large" src={mjpegUrl(camera, 540, 3)} alt={`${camera} live`} />
      {summary ? (
        <div class="figures">
          <span>{summary.fps.toFixed(1)} fps</span>
          <span>{summary.inferenceMs.toFixed(0)} ms inference</span>
          <span>{summary.objects} objects</span>
          {summary.state !== 'online' && summary.lastError ? (
            <span class="why">{summary.lastError}</span>
          ) : null}
        </div>
      ) : null}
      {detail ? <Details detail={detail} /> : null}
      <h3>Recent events</h3>
      <div class="events" id="events">
        {recent.length === 0 ? <p class="note">No events with a snapshot yet.</p> : null}
        {recent.map((e) => (
          <figure class="event" key={e.id} data-event={e.id}>
            <img
              src={`/api/events/${encodeURIComponent(e.id)}/snapshot.jpg`}
              alt={`${e.label} snapshot`}
              loading="lazy"
            />
            <figcaption>
              {e.label} · {new Date(e.start_time * 1000).toLocaleTimeString()}
              {e.end_time === null ? ' · in progress' : ''}
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

function Details({ detail }: { detail: CameraDetail }) {
  const counts = Object.entries(detail.counts);
  return (
    <div class="details">
      <div>
        <h3>Now</h3>
        <p>{counts.length ? counts.map(([label, n]) => `${n} ${label}`).join(', ') : 'nothing tracked'}</p>
        <h3>Line totals</h3>
        {detail.lines.length === 0 ? <p class="note">No lines configured.</p> : null}
        <table class="totals">
          <tbody>
            {detail.lineTotals.map((t) => (
              <tr key={`${t.line}-${t.label}-${t.direction}`}>
                <td>{t.line}</td>
                <td>{t.label}</td>
                <td>{t.direction}</td>
                <td>{t.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="charts">
        <Chart title="fps" samples={detail.history} value={(s) => s.fps} />
        <Chart title="inference ms" samples={detail.history} value={(s) => s.inferenceMs} />
        <Chart title="objects" samples={detail.history} value={(s) => s.objects} />
      </div>
    </div>
  );
}
