/**
 * OncoTree (https://oncotree.mskcc.org, CC BY 4.0): the tumour-type tree read
 * from its flat TSV (code, name, main_type, tissue, parent, level, nci, umls).
 */
import { readTsv } from './tsv.ts';

export interface OncoTreeNode {
  code: string;
  name: string;
  mainType: string;
  tissue: string;
  parent: string | null;
  level: number;
  umls: string[];
}

export interface OncoTree {
  nodes: Map<string, OncoTreeNode>;
  /** Lower-case name -> code. */
  byName: Map<string, string>;
  /** UMLS CUI -> codes. */
  byUmls: Map<string, string[]>;
  /** Code -> itself and its ancestors up to TISSUE. */
  ancestors(code: string): string[];
  /** The level-1 node (tissue) of a code: `LUNG` for LUAD. */
  lineage(code: string): string | undefined;
}

export function readOncoTree(path: string): OncoTree {
  const table = readTsv(path, { required: ['code', 'name', 'parent'] });
  const nodes = new Map<string, OncoTreeNode>();
  const byName = new Map<string, string>();
  const byUmls = new Map<string, string[]>();
  for (const row of table.rows) {
    const code = row.get('code');
    const node: OncoTreeNode = {
      code,
      name: row.get('name'),
      mainType: row.get('main_type'),
      tissue: row.get('tissue'),
      parent: row.get('parent') || null,
      level: Number(row.get('level')) || 0,
      umls: row.get('umls').split(/[,;]/).map((u) => u.trim()).filter(Boolean),
    };
    nodes.set(code, node);
    byName.set(node.name.toLowerCase(), code);
    for (const u of node.umls) byUmls.set(u, [...(byUmls.get(u) ?? []), code]);
  }
  if (!nodes.has('TISSUE')) nodes.set('TISSUE', { code: 'TISSUE', name: 'Tissue', mainType: '', tissue: '', parent: null, level: 0, umls: [] });
  const ancestors = (code: string): string[] => {
    const chain: string[] = [];
    let c: string | null | undefined = code;
    while (c && nodes.has(c) && !chain.includes(c)) {
      chain.push(c);
      c = nodes.get(c)!.parent;
    }
    if (chain.length > 0 && chain[chain.length - 1] !== 'TISSUE') chain.push('TISSUE');
    return chain;
  };
  const lineage = (code: string): string | undefined => {
    const chain = ancestors(code);
    return chain.length >= 2 ? chain[chain.length - 2] : chain[0];
  };
  return { nodes, byName, byUmls, ancestors, lineage };
}

/** Lowest common ancestor of several codes (TISSUE at worst). */
export function commonAncestor(tree: OncoTree, codes: readonly string[]): string {
  if (codes.length === 0) return 'TISSUE';
  let common = tree.ancestors(codes[0]!);
  for (const c of codes.slice(1)) {
    const mine = new Set(tree.ancestors(c));
    common = common.filter((x) => mine.has(x));
  }
  return common[0] ?? 'TISSUE';
}
