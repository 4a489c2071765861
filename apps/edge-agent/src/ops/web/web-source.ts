import type { AgentConfig } from '../../config/types.js';
import type { LatestFrames } from '../frigate-api/latest-frames.js';
import type { AreasEditor } from './areas-editor.js';
import type { StatsHistory } from './stats-history.js';

/** One line's crossings of one label in one direction since the agent started. */
export interface LineTotal {
  readonly line: string;
  readonly label: string;
  readonly direction: string;
  readonly count: number;
}

/** What the web page's routes read from the running agent. */
export interface WebSource {
  config(): AgentConfig;
  readonly latest: LatestFrames;
  readonly history: StatsHistory;
  lineTotals(camera: string): Promise<readonly LineTotal[]>;
  readonly ffmpegPath?: string;
  /** Where the zone/line editor's apply writes, or why it cannot. */
  readonly areasEditor: AreasEditor;
}
