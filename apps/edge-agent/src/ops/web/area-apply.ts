import {
  accessSync,
  chmodSync,
  constants,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NAME } from '../../config/schema/fields.js';
import { type HttpRoute, jsonReply, type RouteReply } from '../http-routes.js';
import { type AreaEdit, withArea } from './area-edit.js';
import type { AreasEditor } from './areas-editor.js';
import type { WebSource } from './web-source.js';

/** What `/web/cameras/<camera>` tells the page: the file apply writes, or why there is none. */
export function applyState(editor: AreasEditor): { file: string } | { unavailable: string } {
  if ('unavailable' in editor) return { unavailable: editor.unavailable };
  try {
    const target = realpathSync(editor.file);
    accessSync(target, constants.W_OK);
    // The new text is written beside the file and renamed over it, so its folder must be writable too.
    accessSync(dirname(target), constants.W_OK);
  } catch {
    return { unavailable: `the config file ${editor.file} (or its folder) is not writable by the agent` };
  }
  return { file: editor.file };
}

/** `POST /api/<camera>/areas`: writes one zone or line into the config file and reloads the camera. */
export function areaApplyRoute(editor: AreasEditor, source: WebSource): HttpRoute {
  let applying: Promise<unknown> = Promise.resolve();
  return {
    pattern: '/api/:camera/areas',
    method: 'POST',
    handle: ({ params, body }) => {
      // One apply at a time: two at once would each write their own edit of the same old text.
      const run = applying.then(() => apply(editor, source, params.camera ?? '', body));
      applying = run.catch(() => {});
      return run;
    },
  };
}

async function apply(
  editor: AreasEditor,
  source: WebSource,
  camera: string,
  body: unknown,
): Promise<RouteReply> {
  const state = applyState(editor);
  if ('unavailable' in state || 'unavailable' in editor)
    return refusal(409, `apply is unavailable: ${'unavailable' in state ? state.unavailable : ''}`);
  if (!source.config().cameras[camera]) return refusal(404, `no camera named "${camera}"`);
  const area = readArea(camera, body, source);
  if (typeof area === 'string') return refusal(400, area);
  const target = realpathSync(editor.file);
  const next = withAreaOrError(readFileSync(target, 'utf8'), area);
  if ('error' in next) return refusal(400, next.error);
  try {
    editor.check(next.text);
  } catch (err) {
    return refusal(400, `nothing written: ${(err as Error).message}`);
  }
  writeAtomically(target, next.text);
  try {
    const { changed } = await editor.reload();
    return jsonReply(200, { success: true, message: `written to ${editor.file}; config reloaded`, changed });
  } catch (err) {
    return refusal(500, `written to ${editor.file}, but the reload failed: ${(err as Error).message}`);
  }
}

function withAreaOrError(text: string, area: AreaEdit): { text: string } | { error: string } {
  try {
    return { text: withArea(text, area) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** The area in `body`, checked against the camera's frame; a string says what is wrong. */
function readArea(camera: string, body: unknown, source: WebSource): AreaEdit | string {
  const { kind, name, coordinates, relative } = (body ?? {}) as Record<string, unknown>;
  if (kind !== 'zone' && kind !== 'line') return '`kind` must be "zone" or "line"';
  if (typeof name !== 'string' || !NAME.test(name))
    return '`name` must be letters, digits, `_` or `-` (the config’s rule for zone and line names)';
  if (!Array.isArray(coordinates) || !coordinates.every(isPoint))
    return '`coordinates` must be a list of [x, y] number pairs';
  if (kind === 'zone' && coordinates.length < 3)
    return `a zone needs at least 3 points, got ${coordinates.length}`;
  if (kind === 'line' && coordinates.length !== 2)
    return `a line needs exactly 2 points, got ${coordinates.length}`;
  const frame = relative === true ? { width: 1, height: 1 } : source.latest.get(camera)?.frame;
  if (!frame)
    return 'the camera has shown no frame yet to check pixel coordinates against; send `relative: true` fractions';
  const outside = coordinates.find(([x, y]) => x < 0 || y < 0 || x > frame.width || y > frame.height);
  if (outside)
    return `point ${outside.join(',')} lies outside the frame (${relative === true ? 'fractions 0–1' : `${frame.width}x${frame.height}`})`;
  return { camera, kind, name, coordinates };
}

function isPoint(value: unknown): value is [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

/** Writes `text` to a temp file beside `file` with its mode, then renames it over `file`: a reader sees the old file or the new one. */
function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, text);
  chmodSync(temp, statSync(file).mode & 0o7777);
  renameSync(temp, file);
}

function refusal(status: number, message: string): RouteReply {
  return jsonReply(status, { success: false, message });
}
