import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { HistoryPoint } from '../history.js';

/** On hand and available over time, as steps (a level's figures change only at its movements). */
export function LevelChart({ points, title }: { points: readonly HistoryPoint[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || points.length === 0) return;
    const now = Date.now() / 1000;
    const last = points[points.length - 1];
    // The figures hold until now: a last point at the present closes the steps.
    const series = last && last.at < now ? [...points, { ...last, at: now }] : [...points];
    const data: uPlot.AlignedData = [
      series.map((p) => p.at),
      series.map((p) => p.onHand),
      series.map((p) => p.available),
    ];
    const stepped = uPlot.paths.stepped?.({ align: 1 });
    const width = Math.max(280, element.clientWidth);
    plot.current?.destroy();
    plot.current = new uPlot(
      {
        width,
        height: 240,
        scales: { y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max * 1.1)] } },
        series: [
          {},
          { label: 'On hand', stroke: '#0b57d0', width: 2, ...(stepped ? { paths: stepped } : {}) },
          {
            label: 'Available',
            stroke: '#0d652d',
            width: 2,
            dash: [6, 4],
            ...(stepped ? { paths: stepped } : {}),
          },
        ],
        axes: [{}, { label: 'units' }],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(280, element.clientWidth), height: 240 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [points]);
  const last = points[points.length - 1];
  return (
    <figure class="chart" aria-label={title}>
      {points.length === 0 ? (
        <p>No movements yet.</p>
      ) : (
        <div
          ref={box}
          role="img"
          aria-label={`${title}: ${points.length} changes shown${last ? `, now ${last.onHand} on hand and ${last.available} available` : ''}`}
        />
      )}
      <figcaption class="muted">
        {title}, from the level's ledger ({points.length} movement{points.length === 1 ? '' : 's'})
      </figcaption>
    </figure>
  );
}
