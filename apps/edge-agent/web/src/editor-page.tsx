import { useEffect, useState } from 'preact/hooks';
import { applyArea, type CameraDetail, cameraDetail } from './api.js';
import { type AreaKind, areaPoints, areaYaml, inArrow, type Units } from './area-yaml.js';

type Point = [number, number];

/**
 * The zone and line editor on a still frame shown at its own size (one screen pixel is one source
 * pixel): click to add points; the YAML block to paste follows as you draw.
 */
export function EditorPage({ camera }: { camera: string }) {
  const [still] = useState(() => `/api/${encodeURIComponent(camera)}/latest.jpg?t=${Date.now()}`);
  const [frame, setFrame] = useState<{ width: number; height: number } | null>(null);
  const [kind, setKind] = useState<AreaKind>('zone');
  const [units, setUnits] = useState<Units>('pixels');
  const [name, setName] = useState('zone_1');
  const [points, setPoints] = useState<Point[]>([]);
  const [failed, setFailed] = useState(false);
  const [applyTo, setApplyTo] = useState<CameraDetail['apply'] | null>(null);
  const [result, setResult] = useState('');
  useEffect(() => {
    cameraDetail(camera).then(
      (detail) => setApplyTo(detail.apply),
      (err: Error) => setApplyTo({ unavailable: err.message }),
    );
  }, [camera]);
  const file = applyTo && 'file' in applyTo ? applyTo.file : undefined;
  const complete = kind === 'zone' ? points.length >= 3 : points.length === 2;
  const apply = async () => {
    if (!file || !frame) return;
    if (!confirm(`Write ${kind} "${name}" of camera "${camera}" into ${file} and reload that camera?`))
      return;
    setResult('applying…');
    const coordinates = areaPoints(points, units, frame);
    const answer = await applyArea(camera, {
      kind,
      name,
      coordinates,
      relative: units === 'fractions',
    }).catch((err: Error) => ({ ok: false, message: err.message }));
    setResult(answer.ok ? answer.message : `not applied: ${answer.message}`);
  };
  const full = kind === 'line' && points.length >= 2;
  const click = (e: MouseEvent) => {
    if (full) return;
    const box = (e.currentTarget as SVGElement).getBoundingClientRect();
    setPoints([...points, [Math.round(e.clientX - box.left), Math.round(e.clientY - box.top)]]);
  };
  const switchKind = (next: AreaKind) => {
    setKind(next);
    setPoints([]);
    if (/^(zone|line)_1$/.test(name)) setName(`${next}_1`);
  };
  return (
    <section>
      <h2>
        <a href={`#/camera/${encodeURIComponent(camera)}`}>{camera}</a> · zones and lines
      </h2>
      <div class="toolbar">
        <label>
          <input type="radio" name="kind" checked={kind === 'zone'} onChange={() => switchKind('zone')} />{' '}
          zone (polygon)
        </label>
        <label>
          <input type="radio" name="kind" checked={kind === 'line'} onChange={() => switchKind('line')} />{' '}
          line
        </label>
        <label>
          name <input id="area-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <select id="units" value={units} onChange={(e) => setUnits(e.currentTarget.value as Units)}>
          <option value="pixels">pixels (rxvision)</option>
          <option value="fractions">fractions (Frigate 0.14+)</option>
        </select>
        <button type="button" onClick={() => setPoints(points.slice(0, -1))}>
          undo
        </button>
        <button type="button" onClick={() => setPoints([])}>
          clear
        </button>
      </div>
      {failed ? <p class="note">No still frame yet: the camera has processed no frame.</p> : null}
      <div class="editor">
        <img
          src={still}
          alt={`${camera} still`}
          onLoad={(e) =>
            setFrame({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })
          }
          onError={() => setFailed(true)}
        />
        {frame ? (
          // biome-ignore lint/a11y/useKeyWithClickEvents: placing points needs a pointer; without one, type the coordinates in the YAML by hand
          <svg
            id="editor-canvas"
            width={frame.width}
            height={frame.height}
            viewBox={`0 0 ${frame.width} ${frame.height}`}
            onClick={click}
          >
            <title>click to add a point</title>
            <Drawing kind={kind} points={points} />
          </svg>
        ) : null}
      </div>
      <p class="note">
        {kind === 'zone'
          ? 'Click the corners of the polygon (3 or more).'
          : 'Click the two ends of the line; the arrow shows the side a track enters to count "in".'}
      </p>
      <textarea
        id="yaml"
        readOnly
        rows={6}
        value={frame && points.length > 0 ? areaYaml(camera, { kind, name, points }, units, frame) : ''}
      />
      <div class="toolbar">
        <button
          id="apply"
          type="button"
          disabled={!file || !complete}
          title={applyTo && 'unavailable' in applyTo ? applyTo.unavailable : undefined}
          onClick={apply}
        >
          Apply to config
        </button>
        <span id="apply-result" class="note">
          {applyTo && 'unavailable' in applyTo ? `Apply is unavailable: ${applyTo.unavailable}` : result}
        </span>
      </div>
    </section>
  );
}

function Drawing({ kind, points }: { kind: AreaKind; points: readonly Point[] }) {
  const path = points.map((p) => p.join(',')).join(' ');
  const [from, to] = points;
  return (
    <g>
      {kind === 'zone' ? <polygon points={path} class="zone" /> : <polyline points={path} class="line" />}
      {points.map(([x, y], i) => (
        <circle key={`${i}`} cx={x} cy={y} r={4} class="vertex" />
      ))}
      {kind === 'line' && from && to ? <InArrow from={from} to={to} /> : null}
    </g>
  );
}

function InArrow({ from, to }: { from: Point; to: Point }) {
  const { tail, head } = inArrow(from, to, 30);
  return (
    <g class="arrow">
      <line x1={tail[0]} y1={tail[1]} x2={head[0]} y2={head[1]} marker-end="url(#head)" />
      <defs>
        <marker id="head" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto">
          <path d="M0,0 L8,4 L0,8 z" />
        </marker>
      </defs>
      <text x={head[0] + 4} y={head[1] + 4}>
        in
      </text>
    </g>
  );
}
