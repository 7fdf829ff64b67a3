/**
 * Summaries of a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per source
 * file, and total (inclusive) time of chosen functions, so a profile reads as "where the time
 * goes" without opening DevTools.
 */
import { readFileSync } from 'node:fs';

function shortUrl(url) {
  if (!url) return '(native)';
  const marker = url.lastIndexOf('/dist/');
  if (marker >= 0) return url.slice(marker + 6);
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0)
    return url
      .slice(nm + 14)
      .split('/')
      .slice(0, 2)
      .join('/');
  return url.replace(/^.*\//, '');
}

export function loadProfile(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return { nodes, selfMicros, parent, totalMicros: profile.endTime - profile.startTime };
}

function frameName(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
}

function top(map, count) {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
}

/** [[name, micros]] of the functions with the most self time. */
export function selfByFunction(p, count = 25) {
  const byName = new Map();
  for (const [id, t] of p.selfMicros) {
    const name = frameName(p.nodes.get(id));
    byName.set(name, (byName.get(name) ?? 0) + t);
  }
  return top(byName, count);
}

/** [[file, micros]]: self time per source file (dist path, package, or native). */
export function selfByFile(p, count = 15) {
  const byFile = new Map();
  for (const [id, t] of p.selfMicros) {
    const node = p.nodes.get(id);
    const file = node.callFrame.url ? shortUrl(node.callFrame.url) : `(${node.callFrame.functionName || 'native'})`;
    byFile.set(file, (byFile.get(file) ?? 0) + t);
  }
  return top(byFile, count);
}

/**
 * Inclusive time under the first listed function name found on each sample's stack (innermost
 * match wins), e.g. phases: ['normalizeForKey', 'parseRecord', 'materialize', …].
 */
export function inclusiveByName(p, names) {
  const result = new Map(names.map((n) => [n, 0]));
  result.set('(other)', 0);
  for (const [id, t] of p.selfMicros) {
    let cursor = id;
    let hit = '(other)';
    while (cursor !== undefined) {
      const fn = p.nodes.get(cursor).callFrame.functionName;
      if (result.has(fn) && fn !== '(other)') {
        hit = fn;
        break;
      }
      cursor = p.parent.get(cursor);
    }
    result.set(hit, result.get(hit) + t);
  }
  return [...result];
}
