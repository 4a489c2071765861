import { accessSync, constants, statSync } from 'node:fs';
import { SOURCE_SCHEMES, UNSUPPORTED_SOURCE_SCHEMES } from '@rxvision/decode';
import { quote, quotePath } from './describe.js';
import { ConfigError, type ConfigIssue } from './issues.js';
import { onnxFileProblem } from './model-file.js';
import type { AgentConfig } from './types.js';

/** A scheme of two or more characters (one letter before `:` is a Windows drive). */
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * What a valid config still cannot run, with key paths and fixes: no camera, a camera URL with a
 * scheme decode does not open, a camera file that is missing, a detector model that is missing,
 * unreadable or not ONNX, a labels file that is missing. Checked by `validate` and by `run` before
 * any camera starts, so a typo is refused at once instead of restart-looping forever.
 */
export function runnableIssues(config: AgentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const cameras = Object.values(config.cameras);
  // In a fleet the cameras come from `edge-agent fleet apply`; any detector may serve one of them.
  const fleet = config.fleet !== undefined;
  if (!fleet && cameras.length === 0)
    issues.push({
      path: 'cameras',
      message: 'no camera is configured',
      hint: 'add `cameras: { front: { url: rtsp://… } }` or pass `--source <id>=<url>`',
    });
  else if (!fleet && !cameras.some((c) => c.enabled))
    issues.push({
      path: 'cameras',
      message: 'every camera has `enabled: false`',
      hint: 'set `enabled: true` on at least one camera',
    });
  for (const camera of cameras) {
    if (!camera.enabled) continue;
    const problem = sourceProblem(camera.url);
    if (problem) issues.push({ path: `cameras.${camera.id}.url`, ...problem });
  }
  const used = new Set(cameras.filter((c) => c.enabled).map((c) => c.detector));
  for (const detector of Object.values(config.detectors)) {
    if (!used.has(detector.name) && !fleet) continue;
    const model = onnxFileProblem(detector.model);
    if (model)
      issues.push({
        path: `detectors.${detector.name}.model`,
        message: `${quotePath(detector.model)}: ${model}`,
        hint: 'give the path of a YOLO `.onnx` file (`edge-agent models prepare` prints the path of the default YOLOv5s), or `--model <path>`',
      });
    if (detector.labelsPath && !readable(detector.labelsPath))
      issues.push({
        path: `detectors.${detector.name}.labelmap_path`,
        message: `${quotePath(detector.labelsPath)}: file not found or not readable`,
        hint: 'give a text file with one class name per line, or leave the key out to use the model’s names',
      });
  }
  return issues;
}

/** Throws a `ConfigError` listing `runnableIssues`, if any. */
export function assertRunnable(config: AgentConfig, file?: string): void {
  const issues = runnableIssues(config);
  if (issues.length > 0) throw new ConfigError(issues, file);
}

function sourceProblem(url: string): { message: string; hint: string } | undefined {
  const scheme = SCHEME.exec(url)?.[1];
  if (scheme) {
    if (SOURCE_SCHEMES.some((known) => url.toLowerCase().startsWith(known))) return undefined;
    const bridge = UNSUPPORTED_SOURCE_SCHEMES[`${scheme.toLowerCase()}://`];
    if (bridge)
      return { message: `${quote(`${scheme}://`)} sources cannot be opened by FFmpeg`, hint: bridge };
    return {
      message: `unknown URL scheme ${quote(`${scheme}:`)}`,
      hint: `write a URL starting with ${SOURCE_SCHEMES.map((s) => `\`${s}\``).join(', ')}, or a file path`,
    };
  }
  if (url.startsWith('/dev/video')) return undefined;
  try {
    if (statSync(url).isDirectory())
      return {
        message: `${quotePath(url)} is a directory`,
        hint: 'give a video file, a device or a camera URL',
      };
  } catch {
    return {
      message: `${quotePath(url)}: no such file`,
      hint: 'give an existing video file, `/dev/videoN`, or a camera URL such as `rtsp://host:554/stream`',
    };
  }
  return undefined;
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
