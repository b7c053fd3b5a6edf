/**
 * #/bench?n=1000: draws a synthetic whole-profile explanation network of about
 * n nodes and reports how long it took until the layout had settled and was
 * painted (window.__networkBench), for scripts/bench/network.ts.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { explainProfile } from '../../../server/scoring/explain.ts';
import { EvidenceNetwork } from '../network/EvidenceNetwork.tsx';
import { syntheticRanking } from './synthetic.ts';

export interface NetworkBenchResult {
  nodes: number;
  links: number;
  /** d3-force simulation run to its end (stop() + tick(n)). */
  layoutMs: number;
  /** From the start of rendering to the first paint of the settled network. */
  totalMs: number;
}

declare global {
  interface Window {
    __networkBench?: NetworkBenchResult;
  }
}

export default function BenchPage({ nodes }: { nodes: number }) {
  const explanation = useMemo(() => explainProfile(syntheticRanking(nodes)), [nodes]);
  const [show, setShow] = useState(false);
  const [result, setResult] = useState<NetworkBenchResult>();
  const t0 = useRef(0);
  useEffect(() => {
    t0.current = performance.now();
    setShow(true);
  }, []);
  return (
    <main className="bench">
      <h1>Network benchmark: {explanation.nodes.length} nodes</h1>
      <p role="status" id="bench-result">
        {result ? `layout ${result.layoutMs.toFixed(0)} ms; settled and painted after ${result.totalMs.toFixed(0)} ms` : 'running…'}
      </p>
      {show && (
        <EvidenceNetwork
          explanation={explanation}
          title="Synthetic profile network"
          onDrawn={(info) =>
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const r = { nodes: info.nodes, links: info.links, layoutMs: info.layoutMs, totalMs: performance.now() - t0.current };
                window.__networkBench = r;
                setResult(r);
              }),
            )
          }
        />
      )}
    </main>
  );
}
