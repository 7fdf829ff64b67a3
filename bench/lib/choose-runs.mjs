/**
 * Which configurations and peers a run times, in table order, and why the others are left out:
 * `--only` picks ids (`mixsmith` for every mixsmith row, `sweep` for the sweep and its largest
 * point alone), `--peers off|on|all` the peers,
 * unsupported configurations and unavailable peers are listed with their reason.
 */
import { peerList } from './peers.mjs';
import { MIXSMITH_CONFIGS } from './recipes.mjs';

export function chooseRuns({ only, peersMode, unsupported, peers, repoDir }) {
  const allPeers = peerList({
    sharedDir: peers.dir,
    repoDir,
    adapted: peers.adapted,
    python: peers.python,
    expect: peers.expect,
  });
  const known = new Set([...MIXSMITH_CONFIGS.map((c) => c.id), ...allPeers.map((p) => p.id), 'mixsmith']);
  const picked = only ? only.split(',').filter(Boolean) : null;
  const unknown = (picked ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new Error(`--only: unknown run id ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  // `sweep` brings its baseline, the largest point alone, which its target is measured against.
  const wanted = picked
    ? new Set(
        picked.flatMap((id) =>
          id === 'mixsmith' ? MIXSMITH_CONFIGS.map((c) => c.id) : id === 'sweep' ? ['sweep', 'sweep-largest'] : [id],
        ),
      )
    : null;
  const isWanted = (id) => !wanted || wanted.has(id);
  const runs = [];
  const skipped = [];
  for (const config of MIXSMITH_CONFIGS) {
    if (!isWanted(config.id)) continue;
    if (unsupported.get(config.id)) skipped.push(`${config.id}: not supported yet (${unsupported.get(config.id)})`);
    else runs.push({ ...config, kind: 'mixsmith' });
  }
  if (peersMode === 'off') return { runs, skipped };
  for (const peer of allPeers) {
    if (!isWanted(peer.id)) continue;
    if (peer.slow && peersMode !== 'all' && !wanted) {
      skipped.push(`${peer.id}: slow, left out (--peers all or --only ${peer.id} runs it)`);
      continue;
    }
    if (peer.missing) skipped.push(`${peer.id}: ${peer.missing}`);
    else runs.push({ ...peer, workload: peer.kind === 'limit' ? null : peer.kind });
  }
  return { runs, skipped };
}
