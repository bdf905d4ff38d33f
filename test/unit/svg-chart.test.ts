import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart } from '../../bench/svg-chart.js';

describe('the benchmark SVG chart', () => {
  it('draws one path per series and names each in the legend', () => {
    // Act
    const svg = lineChart({
      title: 'Throughput',
      xLabel: 'shards',
      yLabel: 'reserves/s',
      logX: true,
      series: [
        {
          name: 'measured',
          points: [
            [1, 2],
            [4, 8],
            [16, 30],
            [64, 110],
          ],
        },
        {
          name: 'model',
          points: [
            [1, 2],
            [4, 8],
            [16, 32],
            [64, 128],
          ],
        },
      ],
    });
    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('>measured</text>');
    expect(svg).toContain('>model</text>');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('spaces a logarithmic x axis evenly over powers of two', () => {
    // Act
    const svg = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      logX: true,
      series: [
        {
          name: 's',
          points: [
            [1, 1],
            [4, 1],
            [16, 1],
          ],
        },
      ],
    });
    // Assess: the points' x positions are equally apart
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(3);
    expect((xs[1] as number) - (xs[0] as number)).toBeCloseTo((xs[2] as number) - (xs[1] as number), 0);
  });

  it('escapes text so that a name cannot break the document', () => {
    expect(escapeXml('a<b & "c"')).toBe('a&#60;b &#38; &#34;c&#34;');
  });
});
