/**
 * Source maps that pay for themselves: a CRUDDUR_DEBUG trace should lead from the minified bundles back
 * to src/, but the maps esbuild writes describe every bundled SDK line too, and weighed more than the
 * code (1.4 MB beside 1.0 MB). This keeps only the mappings into our own sources: a frame in our code
 * still names its src/ file and line; a frame inside a bundled package keeps its chunk position (its
 * code is not ours to debug). A chunk with no source of ours loses its map and the comment naming it.
 * Format: https://tc39.es/ecma426/ (mappings are Base64 VLQ, fields relative to the previous segment).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT.get(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encode(values) {
  let out = '';
  for (const v of values) {
    let rest = v < 0 ? (-v << 1) | 1 : v << 1;
    do {
      let digit = rest & 31;
      rest >>>= 5;
      if (rest > 0) digit |= 32;
      out += B64[digit];
    } while (rest > 0);
  }
  return out;
}

/** The map with only the segments whose source `keep` accepts; others become unmapped columns. */
export function trimMap(map, keep) {
  const sources = [];
  const sourceIndex = new Map();
  const names = [];
  const nameIndex = new Map();
  const index = (list, byValue, value) => {
    if (!byValue.has(value)) byValue.set(value, list.push(value) - 1);
    return byValue.get(value);
  };
  // Absolute values while reading the old map, and the previous written ones for the new map's deltas.
  const abs = [0, 0, 0, 0];
  const prev = [0, 0, 0, 0];
  let kept = 0;
  const lines = map.mappings.split(';').map((line) => {
    let column = 0;
    let previousColumn = 0;
    let lastWasGap = false; // a line starts with a gap too: some readers look back across lines
    const out = [];
    for (const text of line.split(',').filter(Boolean)) {
      const fields = decodeSegment(text);
      column += fields[0];
      let segment;
      if (fields.length >= 4) {
        abs[0] += fields[1];
        abs[1] += fields[2];
        abs[2] += fields[3];
        if (fields.length === 5) abs[3] += fields[4];
        const source = map.sources[abs[0]];
        if (keep(source)) {
          const s = index(sources, sourceIndex, source);
          segment = [column - previousColumn, s - prev[0], abs[1] - prev[1], abs[2] - prev[2]];
          prev[0] = s;
          prev[1] = abs[1];
          prev[2] = abs[2];
          if (fields.length === 5) {
            const n = index(names, nameIndex, map.names[abs[3]]);
            segment.push(n - prev[3]);
            prev[3] = n;
          }
          kept++;
        }
      }
      if (!segment) {
        // An unmapped column, so the mapping before it does not stretch over a package's code.
        if (lastWasGap) continue;
        segment = [column - previousColumn];
      }
      lastWasGap = segment.length === 1;
      previousColumn = column;
      out.push(encode(segment));
    }
    return out.join(',');
  });
  return { map: { ...map, sources, names, mappings: lines.join(';') }, kept };
}

/** Trims the map of every chunk in `outputs` (paths of .js files); returns the bytes before and after. */
export function trimSourceMaps(outputs, keep) {
  let before = 0;
  let after = 0;
  for (const js of outputs) {
    const mapFile = `${js}.map`;
    const text = readFileSync(mapFile, 'utf8');
    before += text.length;
    const { map, kept } = trimMap(JSON.parse(text), keep);
    if (kept === 0) {
      rmSync(mapFile);
      writeFileSync(js, readFileSync(js, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n'));
      continue;
    }
    const trimmed = JSON.stringify(map);
    after += trimmed.length;
    writeFileSync(mapFile, trimmed);
  }
  return { before, after };
}
