/**
 * The evidence network as a static SVG string for reports: the same layout
 * (client/src/network/layout.ts, a seeded d3-force simulation) and the same
 * colours and shapes (client/src/network/style.ts) as the board application,
 * so the printed network is the one the board saw. Deterministic: the same
 * explanation and seed give the same bytes. No scripts, no external assets.
 */
import type { Explanation } from '../scoring/explain.ts';
import { computeLayout, type LayoutNode } from '../../client/src/network/layout.ts';
import {
  CLASS_COLOUR, DIRECTION_COLOUR, LINK_NEGATIVE, LINK_POSITIVE, TYPE_COLOUR, TYPE_LABEL, nodeColour, shapePath,
} from '../../client/src/network/style.ts';
import { escapeXml } from './escape.ts';

export interface NetworkSvgOptions {
  seed?: number;
  width?: number;
  height?: number;
  /** Accessible name of the drawing. */
  title?: string;
}

const f = (x: number) => (Math.round(x * 10) / 10).toString();
const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function showLabel(n: LayoutNode, total: number): boolean {
  if (n.type === 'alteration' || n.type === 'therapy') return true;
  if (n.type === 'biomarker' || n.type === 'gene') return total <= 150;
  return total <= 40;
}

const LEGEND: Array<{ type: LayoutNode['type']; colour: string; text: string; hollow?: boolean }> = [
  { type: 'alteration', colour: TYPE_COLOUR.alteration, text: 'alteration' },
  { type: 'biomarker', colour: TYPE_COLOUR.biomarker, text: 'biomarker' },
  { type: 'gene', colour: TYPE_COLOUR.gene, text: 'gene on a pathway' },
  { type: 'evidence', colour: DIRECTION_COLOUR.sensitivity!, text: 'evidence: sensitivity' },
  { type: 'evidence', colour: DIRECTION_COLOUR.resistance!, text: 'evidence: resistance' },
  { type: 'evidence', colour: DIRECTION_COLOUR['no-benefit']!, text: 'evidence: no benefit' },
  { type: 'drug', colour: TYPE_COLOUR.drug, text: 'drug (inferred path)', hollow: true },
  { type: 'therapy', colour: CLASS_COLOUR['on-label']!, text: 'therapy: on-label' },
  { type: 'therapy', colour: CLASS_COLOUR['off-label']!, text: 'off-label' },
  { type: 'therapy', colour: CLASS_COLOUR.investigational!, text: 'investigational' },
  { type: 'therapy', colour: CLASS_COLOUR['not-recommended']!, text: 'not recommended' },
];

/** Legend rows below the drawing: shapes and colours, then link colours. */
function legend(y: number, width: number): { svg: string; height: number } {
  const items = [
    ...LEGEND.map((l) => ({ w: 28 + l.text.length * 6.6, draw: (x: number, yy: number) =>
      `<path transform="translate(${f(x + 8)},${f(yy)})" d="${shapePath(l.type, 6)}" fill="${l.hollow ? '#fff' : l.colour}" stroke="${l.colour}" stroke-width="${l.hollow ? 2 : 0}"/>` +
      `<text x="${f(x + 20)}" y="${f(yy)}" dy="0.35em">${escapeXml(l.text)}</text>` })),
    ...[
      { colour: LINK_POSITIVE, text: 'supports' },
      { colour: LINK_NEGATIVE, text: 'argues against (width: |contribution|)' },
    ].map((l) => ({ w: 44 + l.text.length * 6.6, draw: (x: number, yy: number) =>
      `<line x1="${f(x)}" y1="${f(yy)}" x2="${f(x + 28)}" y2="${f(yy)}" stroke="${l.colour}" stroke-width="4"/>` +
      `<text x="${f(x + 34)}" y="${f(yy)}" dy="0.35em">${escapeXml(l.text)}</text>` })),
  ];
  let x = 10;
  let row = 0;
  const parts: string[] = [];
  for (const it of items) {
    if (x + it.w > width - 10) {
      x = 10;
      row++;
    }
    parts.push(it.draw(x, y + 12 + row * 22));
    x += it.w + 14;
  }
  return { svg: `<g class="legend" font-size="11" fill="#222">${parts.join('')}</g>`, height: (row + 1) * 22 + 8 };
}

/** The explanation network as SVG markup (an `<svg>` element with a viewBox, scaling to its container). */
export function networkSvg(explanation: Explanation, options: NetworkSvgOptions = {}): string {
  const { seed = 1, width = 1000, height, title = 'Evidence network' } = options;
  if (explanation.nodes.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 60" role="img" aria-label="${escapeXml(title)}"><text x="${width / 2}" y="34" text-anchor="middle" font-size="14" fill="#555">No therapy was ranked: nothing to draw.</text></svg>`;
  }
  const layout = computeLayout({ nodes: explanation.nodes, links: explanation.links, width, height, seed });
  const total = layout.nodes.length;
  // Keyboard order of the client (column, then top to bottom) is also a stable drawing order.
  const order = [...layout.nodes].sort((a, b) => a.column - b.column || a.y - b.y || a.id.localeCompare(b.id));
  const fontSize = 12 * (total > 150 ? 0.8 : 1);

  const links = layout.links
    .map((l) => {
      const dashed = l.target.type === 'drug' || l.source.type === 'gene' ? ' stroke-dasharray="4 3"' : '';
      return `<line x1="${f(l.source.x)}" y1="${f(l.source.y)}" x2="${f(l.target.x)}" y2="${f(l.target.y)}" stroke="${l.contribution < 0 ? LINK_NEGATIVE : LINK_POSITIVE}" stroke-width="${f(l.width)}" stroke-opacity="0.55"${dashed}/>`;
    })
    .join('');
  const nodes = order
    .map((n) => {
      const colour = nodeColour(n);
      const name = `${TYPE_LABEL[n.type]} ${n.label}${n.direction ? `, ${n.direction}` : ''}${n.therapyClass ? `, ${n.therapyClass}` : ''}${n.inferred ? ', inferred' : ''}`;
      return `<path transform="translate(${f(n.x)},${f(n.y)})" d="${shapePath(n.type, n.r)}" fill="${n.inferred ? '#fff' : colour}" stroke="${n.inferred ? colour : '#fff'}" stroke-width="${n.inferred ? 2 : 1}"><title>${escapeXml(name)}</title></path>`;
    })
    .join('');
  const labels = order
    .filter((n) => showLabel(n, total))
    .map((n) => {
      const left = n.column === 0;
      const weight = n.type === 'therapy' || n.type === 'alteration' ? ' font-weight="600"' : '';
      return `<text x="${f(n.x + (left ? -(n.r + 4) : n.r + 4))}" y="${f(n.y)}" dy="0.35em" text-anchor="${left ? 'end' : 'start'}"${weight}>${escapeXml(truncate(n.label, n.column === 0 || n.column === 3 ? 30 : 26))}</text>`;
    })
    .join('');
  const key = legend(layout.height, layout.width);
  const fullHeight = layout.height + key.height;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${f(fullHeight)}" role="img" aria-label="${escapeXml(`${title}: ${total} nodes, ${layout.links.length} links`)}" font-family="Helvetica, Arial, sans-serif">` +
    `<title>${escapeXml(title)}</title>` +
    `<g class="links" fill="none">${links}</g>` +
    `<g class="nodes">${nodes}</g>` +
    `<g class="labels" font-size="${f(fontSize)}" fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke">${labels}</g>` +
    key.svg +
    `</svg>`
  );
}
