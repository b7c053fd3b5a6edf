/**
 * Colours and shapes of the evidence network. Every colour has at least 3:1
 * contrast on white (WCAG AA for graphics) and each type has its own shape,
 * so colour is never the only cue.
 */
import { symbol, symbolCircle, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye, type SymbolType } from 'd3';
import type { ExplanationNode, ExplanationNodeType } from '../../../server/scoring/explain.ts';

export const TYPE_COLOUR: Record<ExplanationNodeType, string> = {
  alteration: '#1d4f91',
  biomarker: '#6a3d9a',
  gene: '#00707a',
  evidence: '#4d4d4d',
  drug: '#5c5c5c',
  therapy: '#3d3d8f',
};

export const DIRECTION_COLOUR: Record<string, string> = {
  sensitivity: '#0a7a32',
  resistance: '#b00020',
  'no-benefit': '#a34700',
  adverse: '#7a3e00',
};

export const CLASS_COLOUR: Record<string, string> = {
  'on-label': '#0a6b2b',
  'off-label': '#8a5a00',
  investigational: '#3d3d8f',
  'not-recommended': '#a30000',
};

export const LINK_POSITIVE = '#2f7d3a';
export const LINK_NEGATIVE = '#c0262d';

const SHAPE: Record<ExplanationNodeType, SymbolType> = {
  alteration: symbolSquare,
  biomarker: symbolDiamond,
  gene: symbolTriangle,
  evidence: symbolCircle,
  drug: symbolWye,
  therapy: symbolStar,
};

const paths = new Map<string, string>();
/** SVG path of a node's shape with the given radius (cached: 1,000 nodes share a handful of paths). */
export function shapePath(type: ExplanationNodeType, r: number): string {
  const key = `${type}:${r}`;
  let p = paths.get(key);
  if (!p) {
    // d3.symbol sizes are areas; match the circle of radius r (the star a little larger).
    p = symbol(SHAPE[type], Math.PI * r * r * (type === 'therapy' ? 1.6 : 1))() ?? '';
    paths.set(key, p);
  }
  return p;
}

export function nodeColour(n: ExplanationNode): string {
  if (n.type === 'evidence' && n.direction) return DIRECTION_COLOUR[n.direction] ?? TYPE_COLOUR.evidence;
  if (n.type === 'therapy' && n.therapyClass) return CLASS_COLOUR[n.therapyClass] ?? TYPE_COLOUR.therapy;
  return TYPE_COLOUR[n.type];
}

export const TYPE_LABEL: Record<ExplanationNodeType, string> = {
  alteration: 'Alteration',
  biomarker: 'Biomarker',
  gene: 'Gene (pathway)',
  evidence: 'Evidence',
  drug: 'Drug (inferred)',
  therapy: 'Therapy',
};
