/**
 * The evidence network: the explanation graph of a therapy or of the whole
 * profile (server/scoring/explain.ts), drawn exactly as built. D3 computes the
 * layout (useNetworkLayout) and the zoom transform; React renders the SVG.
 * Hovering or focusing a node shows its statement and citations in the panel
 * beside the drawing; clicking (or Enter on) a therapy focuses it.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { Explanation, ExplanationNode } from '../../../server/scoring/explain.ts';
import { Citations } from '../Citations.tsx';
import { columnSpacing, type LayoutNode } from './layout.ts';
import { useNetworkLayout } from './useNetworkLayout.ts';
import { CLASS_COLOUR, DIRECTION_COLOUR, LINK_NEGATIVE, LINK_POSITIVE, TYPE_COLOUR, TYPE_LABEL, nodeColour, shapePath } from './style.ts';
import { driverText } from '../../../server/domain/driver-text.ts';

export interface EvidenceNetworkProps {
  explanation: Explanation;
  /** Accessible name, e.g. "Evidence network of osimertinib". */
  title: string;
  /** Therapy id whose paths are highlighted (the rest is dimmed). */
  focusTherapy?: string;
  /** Called when a therapy node is clicked or chosen with Enter. */
  onFocusTherapy?: (therapyId: string) => void;
  seed?: number;
  width?: number;
  height?: number;
  /** Large type for the shared screen. */
  large?: boolean;
  /** Called once the layout is computed and drawn (benchmarks, tests). */
  onDrawn?: (info: { nodes: number; links: number; layoutMs: number }) => void;
}

const therapyIdOf = (nodeId: string) => nodeId.slice('therapy:'.length);

/** Ids of every node on a path into the therapy (links point towards therapies). */
function upstreamOf(explanation: Explanation, therapyNode: string): Set<string> {
  const into = new Map<string, string[]>();
  for (const l of explanation.links) {
    const list = into.get(l.target);
    if (list) list.push(l.source);
    else into.set(l.target, [l.source]);
  }
  const seen = new Set([therapyNode]);
  const queue = [therapyNode];
  while (queue.length) {
    for (const s of into.get(queue.pop()!) ?? []) {
      if (!seen.has(s)) {
        seen.add(s);
        queue.push(s);
      }
    }
  }
  return seen;
}

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** Cut in the middle: evidence ids of one gene and drug differ at their end (EGFR-sens-osimertinib-FLAURA, -ADAURA). */
export const truncateMiddle = (s: string, max: number) => {
  if (s.length <= max) return s;
  const head = Math.ceil((max - 1) * 0.4);
  return `${s.slice(0, head)}…${s.slice(s.length - (max - 1 - head))}`;
};

/**
 * Where a node's label goes and how much of it fits: left of an alteration (column 0), right of the other nodes, cut
 * to the room before the next column (a label running over the next column's node and label hid both on the shared
 * screen); a therapy label too long for the room right of it goes below its node. A focused node's label is whole.
 */
export function labelPlace(n: Pick<LayoutNode, 'x' | 'y' | 'r' | 'column'>, width: number, fontSize: number, active: boolean, limit: number) {
  const perChar = fontSize * 0.6;
  const gap = n.r + 4;
  const fit = (room: number) => (active ? 80 : Math.max(6, Math.min(limit, Math.floor(room / perChar))));
  if (n.column === 0) return { x: n.x - gap, y: n.y, dy: '0.35em', anchor: 'end' as const, chars: fit(n.x - gap) };
  if (n.column < 3) return { x: n.x + gap, y: n.y, dy: '0.35em', anchor: 'start' as const, chars: fit(columnSpacing(width) - 2 * gap) };
  const right = width - n.x - gap;
  if (active || right >= limit * perChar) return { x: n.x + gap, y: n.y, dy: '0.35em', anchor: 'start' as const, chars: active ? 80 : fit(right) };
  return { x: n.x, y: n.y + gap, dy: '0.9em', anchor: 'middle' as const, chars: fit(2 * Math.min(n.x, width - n.x)) };
}

function showLabel(n: LayoutNode, total: number, topTherapies: ReadonlySet<string>): boolean {
  if (n.type === 'alteration') return true;
  if (n.type === 'therapy') return total <= 150 || topTherapies.has(n.id);
  if (n.type === 'biomarker' || n.type === 'gene') return total <= 150;
  return total <= 40;
}

/** Order for keyboard moves: by column, then top to bottom. */
function keyboardOrder(nodes: LayoutNode[]): LayoutNode[] {
  return [...nodes].sort((a, b) => a.column - b.column || a.y - b.y);
}

export function EvidenceNetwork({ explanation, title, focusTherapy, onFocusTherapy, seed = 1, width = 1000, height, large, onDrawn }: EvidenceNetworkProps) {
  const layout = useNetworkLayout({ explanation, width, height, seed });
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown>>(undefined);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const [activeId, setActiveId] = useState<string>();
  const [pinned, setPinned] = useState<string>();
  const order = useMemo(() => keyboardOrder(layout.nodes), [layout]);
  const [cursor, setCursor] = useState(0);
  const byId = useMemo(() => new Map(layout.nodes.map((n) => [n.id, n])), [layout]);
  const focusNode = focusTherapy ? `therapy:${focusTherapy}` : undefined;
  const highlighted = useMemo(
    () => (focusNode && byId.has(focusNode) && explanation.nodes.some((n) => n.type === 'therapy' && n.id !== focusNode) ? upstreamOf(explanation, focusNode) : undefined),
    [explanation, focusNode, byId],
  );
  const total = layout.nodes.length;
  // In a large network only the best-scored therapies are labelled; the rest on hover and focus.
  const topTherapies = useMemo(
    () => new Set(layout.nodes.filter((n) => n.type === 'therapy').sort((a, b) => (b.score ?? 0) - (a.score ?? 0)).slice(0, 15).map((n) => n.id)),
    [layout],
  );
  const fontSize = (large ? 20 : 12) * (total > 150 ? 0.8 : 1);

  // d3-zoom computes the transform from wheel and drag; React draws with it.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.5, 8])
      .filter((event: Event) => (event.type === 'wheel' ? (event as WheelEvent).ctrlKey || (event as WheelEvent).metaKey || total > 150 : !(event as globalThis.MouseEvent).button))
      .on('zoom', (event: { transform: ZoomTransform }) => setTransform(event.transform));
    zoomRef.current = behaviour;
    const selection = select(svg);
    selection.call(behaviour);
    return () => {
      selection.on('.zoom', null);
    };
  }, [total]);
  useEffect(() => {
    if (svgRef.current && zoomRef.current) select(svgRef.current).call(zoomRef.current.transform, zoomIdentity);
  }, [layout]);
  const drawnRef = useRef(onDrawn);
  drawnRef.current = onDrawn;
  useEffect(() => {
    drawnRef.current?.({ nodes: layout.nodes.length, links: layout.links.length, layoutMs: layout.ms });
  }, [layout]);

  const shown = byId.get(pinned ?? '') ?? byId.get(activeId ?? '') ?? (focusNode ? byId.get(focusNode) : undefined);

  const nodeFromEvent = (e: { target: EventTarget }) => (e.target as Element).closest?.('[data-id]')?.getAttribute('data-id') ?? undefined;
  function onClick(e: MouseEvent) {
    const id = nodeFromEvent(e);
    if (!id) return;
    const n = byId.get(id);
    if (n?.type === 'therapy') onFocusTherapy?.(therapyIdOf(id));
    setPinned(id);
    setCursor(Math.max(0, order.findIndex((o) => o.id === id)));
  }
  function move(to: LayoutNode | undefined) {
    if (!to) return;
    const i = order.indexOf(to);
    setCursor(i);
    setActiveId(to.id);
    (svgRef.current?.querySelector(`[data-index="${i}"]`) as SVGGElement | null)?.focus();
  }
  function onKeyDown(e: KeyboardEvent) {
    const current = order[cursor];
    if (!current) return;
    const sameColumn = order.filter((n) => n.column === current.column);
    const k = sameColumn.indexOf(current);
    const nearestIn = (column: number) => {
      const list = order.filter((n) => n.column === column);
      return list.reduce<LayoutNode | undefined>((best, n) => (!best || Math.abs(n.y - current.y) < Math.abs(best.y - current.y) ? n : best), undefined);
    };
    const columns = [...new Set(order.map((n) => n.column))].sort((a, b) => a - b);
    const ci = columns.indexOf(current.column);
    switch (e.key) {
      case 'ArrowDown':
        move(sameColumn[k + 1]);
        break;
      case 'ArrowUp':
        move(sameColumn[k - 1]);
        break;
      case 'ArrowRight':
        move(columns[ci + 1] !== undefined ? nearestIn(columns[ci + 1]!) : undefined);
        break;
      case 'ArrowLeft':
        move(columns[ci - 1] !== undefined ? nearestIn(columns[ci - 1]!) : undefined);
        break;
      case 'Home':
        move(order[0]);
        break;
      case 'End':
        move(order[order.length - 1]);
        break;
      case 'Enter':
      case ' ':
        if (current.type === 'therapy') onFocusTherapy?.(therapyIdOf(current.id));
        setPinned(current.id);
        break;
      case 'Escape':
        setPinned(undefined);
        return;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  return (
    <div className={`network${large ? ' large' : ''}`} data-nodes={layout.nodes.length} data-links={layout.links.length}>
      <figure>
        <figcaption className="network-caption">
          <span>
            {title}: {layout.nodes.length} nodes, {layout.links.length} links
          </span>
          <span className="muted small">
            {total > 150 ? 'Scroll or drag to zoom and pan. ' : 'Ctrl+scroll to zoom, drag to pan. '}Tab into the drawing, then arrow keys move between nodes; Enter focuses a therapy.
          </span>
          {transform.k !== 1 || transform.x !== 0 || transform.y !== 0 ? (
            <button type="button" className="link-button" onClick={() => svgRef.current && zoomRef.current && select(svgRef.current).call(zoomRef.current.transform, zoomIdentity)}>
              Reset view
            </button>
          ) : null}
        </figcaption>
        <svg
          ref={svgRef}
          className="network-svg"
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="group"
          aria-label={`${title}: ${layout.nodes.length} nodes, ${layout.links.length} links`}
          onMouseOver={(e) => setActiveId(nodeFromEvent(e))}
          onClick={onClick}
          onKeyDown={onKeyDown}
          onFocus={(e) => setActiveId(nodeFromEvent(e))}
        >
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#777" />
            </marker>
          </defs>
          <g transform={transform.toString()}>
            <g className="links" fill="none">
              {layout.links.map((l) => {
                const dim = highlighted && !(highlighted.has(l.source.id) && highlighted.has(l.target.id));
                return (
                  <line
                    key={`${l.source.id}>${l.target.id}`}
                    data-source={l.source.id}
                    data-target={l.target.id}
                    data-contribution={l.contribution}
                    x1={l.source.x}
                    y1={l.source.y}
                    x2={l.target.x}
                    y2={l.target.y}
                    stroke={l.contribution < 0 ? LINK_NEGATIVE : LINK_POSITIVE}
                    strokeWidth={l.width}
                    strokeOpacity={dim ? 0.08 : 0.55}
                    strokeDasharray={l.target.type === 'drug' || l.source.type === 'gene' ? '4 3' : undefined}
                  />
                );
              })}
            </g>
            <g className="nodes">
              {order.map((n, i) => {
                const dim = highlighted && !highlighted.has(n.id);
                const active = shown?.id === n.id;
                const colour = nodeColour(n);
                return (
                  <g
                    key={n.id}
                    data-id={n.id}
                    data-type={n.type}
                    data-index={i}
                    className={`node ${n.type}${active ? ' active' : ''}${n.id === focusNode ? ' focused' : ''}`}
                    transform={`translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`}
                    opacity={dim ? 0.15 : 1}
                    tabIndex={i === cursor ? 0 : -1}
                    role="button"
                    aria-label={`${TYPE_LABEL[n.type]} ${n.label}${n.direction ? `, ${n.direction}` : ''}${n.therapyClass ? `, ${n.therapyClass}` : ''}${n.inferred ? ', inferred' : ''}`}
                  >
                    <circle className="hit" r={n.r + 5} fill="transparent" />
                    <path d={shapePath(n.type, n.r)} fill={n.inferred ? '#fff' : colour} stroke={n.inferred ? colour : active ? '#000' : '#fff'} strokeWidth={n.inferred ? 2 : active ? 2.5 : 1} />
                  </g>
                );
              })}
            </g>
            {/* Labels above every shape, with a white halo, so no node hides a name. */}
            <g className="labels" aria-hidden="true">
              {order
                .filter((n) => showLabel(n, total, topTherapies) || n.id === shown?.id)
                .map((n) => {
                  const active = n.id === shown?.id;
                  const at = labelPlace(n, layout.width, fontSize, active, large && n.column > 0 && n.column < 3 ? 20 : 30);
                  return (
                    <text
                      key={n.id}
                      x={at.x}
                      y={at.y}
                      dy={at.dy}
                      textAnchor={at.anchor}
                      fontSize={fontSize}
                      fontWeight={n.type === 'therapy' || n.type === 'alteration' || active ? 600 : 400}
                      opacity={highlighted && !highlighted.has(n.id) ? 0.3 : 1}
                    >
                      {(n.type === 'evidence' ? truncateMiddle : truncate)(n.label, at.chars)}
                    </text>
                  );
                })}
            </g>
          </g>
        </svg>
        <Legend />
      </figure>
      <NodeDetails node={shown} pinned={!!pinned && shown?.id === pinned} onFocusTherapy={onFocusTherapy} />
    </div>
  );
}

function Legend() {
  const item = (key: string, colour: string, type: ExplanationNode['type'], text: string, hollow = false) => (
    <li key={key}>
      <svg width="18" height="18" viewBox="-9 -9 18 18" aria-hidden="true">
        <path d={shapePath(type, 6)} fill={hollow ? '#fff' : colour} stroke={colour} strokeWidth={hollow ? 2 : 0} />
      </svg>
      {text}
    </li>
  );
  return (
    <ul className="legend" aria-label="Legend">
      {item('a', TYPE_COLOUR.alteration, 'alteration', 'alteration')}
      {item('b', TYPE_COLOUR.biomarker, 'biomarker', 'biomarker')}
      {item('g', TYPE_COLOUR.gene, 'gene', 'gene on a pathway')}
      {item('es', DIRECTION_COLOUR.sensitivity!, 'evidence', 'evidence: sensitivity')}
      {item('er', DIRECTION_COLOUR.resistance!, 'evidence', 'evidence: resistance')}
      {item('en', DIRECTION_COLOUR['no-benefit']!, 'evidence', 'evidence: no benefit')}
      {item('d', TYPE_COLOUR.drug, 'drug', 'drug (inferred path)', true)}
      {item('t1', CLASS_COLOUR['on-label']!, 'therapy', 'therapy: on-label')}
      {item('t2', CLASS_COLOUR['off-label']!, 'therapy', 'off-label')}
      {item('t3', CLASS_COLOUR.investigational!, 'therapy', 'investigational')}
      {item('t4', CLASS_COLOUR['not-recommended']!, 'therapy', 'not recommended')}
      <li>
        <svg width="28" height="10" aria-hidden="true">
          <line x1="0" y1="5" x2="28" y2="5" stroke={LINK_POSITIVE} strokeWidth="4" />
        </svg>
        supports
      </li>
      <li>
        <svg width="28" height="10" aria-hidden="true">
          <line x1="0" y1="5" x2="28" y2="5" stroke={LINK_NEGATIVE} strokeWidth="4" />
        </svg>
        argues against (width: |contribution|)
      </li>
    </ul>
  );
}

export interface NodeDetailsProps {
  node: ExplanationNode | undefined;
  pinned: boolean;
  onFocusTherapy?: (therapyId: string) => void;
}

/** What a node says: shown for the hovered, focused or clicked node. */
export function NodeDetails({ node, pinned, onFocusTherapy }: NodeDetailsProps) {
  return (
    <aside className="node-details" aria-live="polite" aria-label="Selected node">
      {!node ? (
        <p className="muted">Point at or focus a node to read its evidence and citations.</p>
      ) : (
        <>
          <p className="kicker">
            {TYPE_LABEL[node.type]}
            {pinned ? ' · pinned (Esc to release)' : ''}
          </p>
          <h4>{node.label}</h4>
          {node.type === 'alteration' && node.driver && <p>Driver annotation: {driverText({ kind: node.kind ?? 'mutation', driver: node.driver })}</p>}
          {node.type === 'therapy' && (
            <>
              <p>
                <span className={`badge ${node.therapyClass}`}>{node.therapyClass}</span> score {node.score?.toFixed(1)}
              </p>
              {onFocusTherapy && (
                <button type="button" onClick={() => onFocusTherapy(therapyIdOf(node.id))}>
                  Focus this therapy
                </button>
              )}
            </>
          )}
          {node.type === 'evidence' && (
            <p>
              <span className={`dir ${node.direction}`}>{node.direction}</span> · level {node.level} · contribution{' '}
              {node.contribution !== undefined ? node.contribution.toFixed(1) : '—'}
            </p>
          )}
          {node.superiority && (
            <p className="comparison-tag">
              Randomised trial: beat {node.superiority.comparator}; lifts the therapy by +{node.superiority.lift.toFixed(1)} to rank at least as high
            </p>
          )}
          {node.inferred && <p className="inferred-tag">Inferred (target or pathway), not read from the knowledge base</p>}
          {node.statement && <p className="statement">{node.statement}</p>}
          {(node.type === 'evidence' || node.inferred) && <Citations sources={node.sources} />}
        </>
      )}
    </aside>
  );
}
