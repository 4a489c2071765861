import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsSample } from './api.js';

/** A small uPlot line chart of one figure of the camera's last hour. */
export function Chart({
  title,
  samples,
  value,
}: {
  title: string;
  samples: readonly StatsSample[];
  value: (s: StatsSample) => number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const data: uPlot.AlignedData = [samples.map((s) => s.t), samples.map(value)];
    if (!plot.current && box.current) {
      plot.current = new uPlot(
        {
          title,
          width: 300,
          height: 140,
          legend: { show: false },
          series: [{}, { stroke: '#2a7ae2', width: 1.5 }],
        },
        data,
        box.current,
      );
    } else plot.current?.setData(data);
  }, [samples]);
  useEffect(() => () => plot.current?.destroy(), []);
  return <div class="chart" ref={box} />;
}
