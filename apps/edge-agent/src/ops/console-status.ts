/** One camera's line in the live console status. */
export interface StatusRow {
  readonly camera: string;
  readonly state: string;
  readonly fps: number;
  readonly inferenceMs: number;
  readonly objects: number;
  readonly dropped: number;
  readonly processed: number;
}

/** Renders the status table (no escapes), e.g. for tests or a one-off print. */
export function renderStatus(rows: readonly StatusRow[], header: string): string {
  const head = ['camera', 'state', 'fps', 'infer ms', 'objects', 'dropped', 'processed'];
  const body = rows.map((r) => [
    r.camera,
    r.state,
    r.fps.toFixed(1),
    r.inferenceMs.toFixed(0),
    String(r.objects),
    String(r.dropped),
    String(r.processed),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [header, line(head), ...body.map(line)].join('\n');
}

/**
 * A live status block redrawn in place every `intervalMs` on a terminal, so a person watching
 * sees each camera working. Does nothing when the stream is not a TTY (logs are JSON there).
 */
export function startConsoleStatus(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  rows: () => readonly StatusRow[],
  header: () => string,
  intervalMs = 1000,
): () => void {
  if (!stream.isTTY) return () => {};
  let drawn = 0;
  const draw = () => {
    const text = renderStatus(rows(), header());
    // Move up over the previous block and clear to the end of the screen before redrawing.
    stream.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ''}${text}\n`);
    drawn = text.split('\n').length;
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
