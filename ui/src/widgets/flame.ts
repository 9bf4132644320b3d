// Flame graphs from folded stacks ("main;handle;parse 42"): a frame tree laid out with d3-hierarchy.
import { hierarchy, partition, type HierarchyRectangularNode } from 'd3-hierarchy';

export interface Frame {
  name: string;
  /** Samples in this frame itself (not children). */
  self: number;
  children: Map<string, Frame>;
}

export interface FrameRect {
  name: string;
  /** Frame path from the root, `;`-joined (unique id). */
  path: string;
  depth: number;
  value: number;
  x0: number;
  x1: number;
}

export function newFrame(name: string): Frame {
  return { name, self: 0, children: new Map() };
}

/** Adds one folded stack (root first, `;`-separated) with its sample count. */
export function addStack(root: Frame, stack: string, count: number): void {
  if (!(count > 0)) return;
  let f = root;
  for (const name of stack.split(';')) {
    if (name === '') continue;
    let c = f.children.get(name);
    if (!c) {
      c = newFrame(name);
      f.children.set(name, c);
    }
    f = c;
  }
  f.self += count;
}

/** Parses folded-stack text: one `stack count` per line. */
export function parseFolded(text: string): Frame {
  const root = newFrame('all');
  for (const line of text.split('\n')) {
    const m = /^(.*\S)\s+(\d+)\s*$/.exec(line);
    if (m?.[1] && m[2]) addStack(root, m[1], Number(m[2]));
  }
  return root;
}

/** Lays the tree out in [0,1] horizontally, one row per depth; frames narrower than `minWidth` are dropped. */
export function layoutFlame(root: Frame, minWidth = 0.002): { rects: FrameRect[]; depth: number; total: number } {
  const h = hierarchy<Frame>(root, (f) => [...f.children.values()]).sum((f) => f.self);
  h.sort((a, b) => a.data.name.localeCompare(b.data.name));
  const laid: HierarchyRectangularNode<Frame> = partition<Frame>().size([1, 1])(h);
  const rects: FrameRect[] = [];
  let depth = 0;
  laid.each((n) => {
    if (n.x1 - n.x0 < minWidth) return;
    const path = n
      .ancestors()
      .reverse()
      .map((a) => a.data.name)
      .join(';');
    rects.push({ name: n.data.name, path, depth: n.depth, value: n.value ?? 0, x0: n.x0, x1: n.x1 });
    depth = Math.max(depth, n.depth);
  });
  return { rects, depth: depth + 1, total: h.value ?? 0 };
}

/** Stable warm colour for a frame name. */
export function frameColor(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  const hue = 10 + (Math.abs(hash) % 40);
  const light = 50 + (Math.abs(hash >> 8) % 15);
  return `hsl(${hue} 85% ${light}%)`;
}
