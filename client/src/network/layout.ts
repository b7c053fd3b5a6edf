/**
 * Layout of the explanation network (server/scoring/explain.ts): a d3-force
 * simulation run to completion on copies of the data, with a seeded random
 * source (d3-force's LCG) so the same network always lands in the same place.
 * Columns follow the explanation's direction: alterations -> biomarkers and
 * genes -> evidence and drugs -> therapies. D3 computes; React renders.
 */
import {
  forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, randomLcg, scaleSqrt, type SimulationLinkDatum, type SimulationNodeDatum,
} from 'd3';
import type { ExplanationLink, ExplanationNode, ExplanationNodeType } from '../../../server/scoring/explain.ts';

/** Column of each node type, left to right. */
export const COLUMN: Record<ExplanationNodeType, number> = { alteration: 0, gene: 1, biomarker: 1, evidence: 2, drug: 2, therapy: 3 };

export interface LayoutNode extends ExplanationNode, SimulationNodeDatum {
  x: number;
  y: number;
  /** Radius in layout units. */
  r: number;
  column: number;
}

export interface LayoutLink {
  source: LayoutNode;
  target: LayoutNode;
  contribution: number;
  /** Stroke width from |contribution|. */
  width: number;
}

export interface LayoutConfig {
  nodes: readonly ExplanationNode[];
  links: readonly ExplanationLink[];
  /** Size of the layout area (the SVG viewBox). */
  width?: number;
  height?: number;
  /** Seed of the random source: same seed, same network, same positions. */
  seed?: number;
  /** Ticks to run; by default fewer for large networks (they start from a column layout and settle fast). */
  ticks?: number;
}

export interface Layout {
  nodes: LayoutNode[];
  links: LayoutLink[];
  width: number;
  height: number;
  ticks: number;
  /** Milliseconds spent in the simulation. */
  ms: number;
}

/** Default tick count: 300 (d3's own) for small networks, down to 80 at 1,000 nodes and beyond (they start spread out). */
export function defaultTicks(n: number): number {
  return Math.round(Math.max(80, Math.min(300, 300 - (n - 200) * 0.275)));
}

function radiusOf(n: ExplanationNode, many: boolean): number {
  const small = many ? 0.7 : 1;
  switch (n.type) {
    case 'therapy':
      return many ? 6 : 11;
    case 'alteration':
      return 10 * (many ? 0.8 : 1);
    case 'evidence':
      return 6 * small;
    default:
      return 7 * small;
  }
}

/**
 * Order the nodes of each column by the mean slot of their neighbours in the
 * column before (then after), so related nodes face each other and links cross
 * less (the barycentre heuristic of layered graph drawing, one sweep each way).
 */
export function orderColumns(nodes: readonly ExplanationNode[], links: readonly ExplanationLink[]): ExplanationNode[][] {
  const columns: ExplanationNode[][] = [[], [], [], []];
  for (const n of nodes) columns[COLUMN[n.type]]!.push(n);
  const neighbours = new Map<string, string[]>();
  const add = (a: string, b: string) => {
    const l = neighbours.get(a);
    if (l) l.push(b);
    else neighbours.set(a, [b]);
  };
  for (const l of links) {
    add(l.source, l.target);
    add(l.target, l.source);
  }
  const sweep = (col: number, ref: number) => {
    const slot = new Map(columns[ref]!.map((n, i) => [n.id, i / Math.max(1, columns[ref]!.length - 1)]));
    const keyed = columns[col]!.map((n, i) => {
      const s = (neighbours.get(n.id) ?? []).flatMap((m) => (slot.has(m) ? [slot.get(m)!] : []));
      return { n, key: s.length ? s.reduce((a, b) => a + b, 0) / s.length : Infinity, i };
    });
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    columns[col] = keyed.map((k) => k.n);
  };
  for (let c = 1; c < 4; c++) sweep(c, c - 1);
  for (let c = 2; c >= 0; c--) sweep(c, c + 1);
  return columns;
}

const MARGIN = 50;
/** Horizontal distance between two columns of a drawing `width` wide (what a label between them may use). */
export const columnSpacing = (width: number): number => (width - 2 * MARGIN - 260) / 3;

/** Height that gives the tallest column room, within bounds. */
export function autoHeight(nodes: readonly ExplanationNode[]): number {
  const counts = [0, 0, 0, 0];
  for (const n of nodes) counts[COLUMN[n.type]]!++;
  const tallest = Math.max(...counts);
  return Math.round(Math.max(240, Math.min(900, tallest * (nodes.length > 150 ? 12 : 46) + 100)));
}

/** Position every node and link. Pure: inputs are copied, never mutated. */
export function computeLayout(config: LayoutConfig): Layout {
  const { nodes: inNodes, links: inLinks, width = 1000, seed = 1 } = config;
  const height = config.height ?? autoHeight(inNodes);
  const start = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const many = inNodes.length > 150;
  const ticks = config.ticks ?? defaultTicks(inNodes.length);
  const margin = MARGIN;
  // Room for alteration labels on the left and therapy labels on the right.
  const colX = (c: number) => margin + 130 + c * columnSpacing(width);

  // Copies, with a deterministic start: each column ordered and spread down the height; a column
  // too tall for the height is folded into side-by-side sub-columns (row by row, so order is kept).
  const slot = new Map<string, { x: number; y: number }>();
  orderColumns(inNodes, inLinks).forEach((column, c) => {
    if (column.length === 0) return;
    const pitch = 2 * radiusOf(column[0]!, many) + (many ? 3 : 8);
    const rows = Math.max(1, Math.floor((height - 2 * margin) / pitch));
    const subs = Math.ceil(column.length / rows);
    const perRow = subs;
    const usedRows = Math.ceil(column.length / perRow);
    column.forEach((n, i) => {
      const row = Math.floor(i / perRow);
      const sub = i % perRow;
      slot.set(n.id, {
        x: colX(c) + (sub - (perRow - 1) / 2) * pitch,
        y: margin + ((row + 0.5) * (height - 2 * margin)) / usedRows,
      });
    });
  });
  const slotY = new Map([...slot].map(([id, p]) => [id, p.y]));
  const nodes: LayoutNode[] = inNodes.map((n) => {
    const column = COLUMN[n.type];
    const p = slot.get(n.id)!;
    return { ...n, column, r: radiusOf(n, many), x: p.x, y: p.y };
  });
  const index = new Map(nodes.map((n) => [n.id, n]));
  const simLinks: Array<SimulationLinkDatum<LayoutNode> & { contribution: number }> = [];
  for (const l of inLinks) {
    const s = index.get(l.source);
    const t = index.get(l.target);
    if (s && t) simLinks.push({ source: s, target: t, contribution: l.contribution });
  }

  const alphaMin = 0.001;
  const slotX = new Map([...slot].map(([id, p]) => [id, p.x]));
  const sim = forceSimulation<LayoutNode>(nodes)
    .randomSource(randomLcg(seed))
    .alphaMin(alphaMin)
    .alphaDecay(1 - Math.pow(alphaMin, 1 / ticks))
    .force('link', forceLink<LayoutNode, (typeof simLinks)[number]>(simLinks).distance(many ? 24 : 80).strength(many ? 0.02 : 0.05))
    // Many-body repulsion is the costly force (Barnes-Hut every tick); large networks start
    // spread out on their slots and only need collision and the pull of links.
    .force('charge', many ? null : forceManyBody<LayoutNode>().strength(-60).theta(0.9).distanceMax(300))
    .force('x', forceX<LayoutNode>((d) => (many ? slotX.get(d.id)! : colX(d.column))).strength(many ? 0.3 : 0.6))
    .force('y', forceY<LayoutNode>((d) => slotY.get(d.id)!).strength(many ? 0.05 : 0.12))
    // Large networks start on a grid without overlaps and stay near it; collision is the next costliest force.
    .force('collide', many ? null : forceCollide<LayoutNode>((d) => d.r + 4).iterations(2))
    .stop();
  sim.tick(ticks);

  // Keep everything inside the area.
  for (const n of nodes) {
    n.x = Math.max(n.r + 2, Math.min(width - n.r - 2, n.x));
    n.y = Math.max(n.r + 2, Math.min(height - n.r - 2, n.y));
    delete n.vx;
    delete n.vy;
  }
  const max = Math.max(1, ...simLinks.map((l) => Math.abs(l.contribution)));
  const widthOf = scaleSqrt().domain([0, max]).range([many ? 0.6 : 1, many ? 5 : 9]).clamp(true);
  const links: LayoutLink[] = simLinks.map((l) => ({
    source: l.source as LayoutNode,
    target: l.target as LayoutNode,
    contribution: l.contribution,
    width: widthOf(Math.abs(l.contribution)),
  }));
  const end = typeof performance !== 'undefined' ? performance.now() : Date.now();
  return { nodes, links, width, height, ticks, ms: end - start };
}
