// Pixie live-view specs (vis.json, proto px.vispb.Vis in JSON camelCase; snake_case accepted).

export type WidgetKind =
  | 'Table'
  | 'TimeseriesChart'
  | 'BarChart'
  | 'HistogramChart'
  | 'Graph'
  | 'RequestGraph'
  | 'StatChart'
  | 'TextChart'
  | 'StackTraceFlameGraph'
  | 'PieChart'
  | 'GaugeChart'
  | 'VegaChart'
  | 'Unknown';

const KINDS: readonly WidgetKind[] = [
  'Table',
  'TimeseriesChart',
  'BarChart',
  'HistogramChart',
  'Graph',
  'RequestGraph',
  'StatChart',
  'TextChart',
  'StackTraceFlameGraph',
  'PieChart',
  'GaugeChart',
  'VegaChart',
];

export interface Variable {
  name: string;
  type: string;
  defaultValue: string | null;
  description: string;
  validValues: string[];
}

export interface Position {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Widget {
  /** Title shown above the widget. */
  name: string;
  /** The output table the widget shows (widget name, `widget_<i>`, or a global function's output). */
  outputName: string;
  position: Position | null;
  kind: WidgetKind;
  /** The display spec without `@type`. */
  spec: Record<string, unknown>;
}

export interface Vis {
  variables: Variable[];
  widgets: Widget[];
}

export class VisParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VisParseError';
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Obj, camel: string, snake: string): unknown {
  return o[camel] ?? o[snake];
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** `types.px.dev/px.vispb.TimeseriesChart` → `TimeseriesChart`. */
export function widgetKind(type: unknown): WidgetKind {
  if (typeof type !== 'string') return 'Unknown';
  const short = type.slice(type.lastIndexOf('.') + 1);
  return (KINDS as readonly string[]).includes(short) ? (short as WidgetKind) : 'Unknown';
}

function position(v: unknown): Position | null {
  if (!isObj(v)) return null;
  const n = (k: string) => (typeof v[k] === 'number' ? (v[k] as number) : 0);
  return { x: n('x'), y: n('y'), w: n('w') || 12, h: n('h') || 3 };
}

/** Parses vis.json text; throws `VisParseError` on malformed specs. */
export function parseVis(text: string): Vis {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new VisParseError(`vis.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(raw)) throw new VisParseError('vis.json must be an object');
  const vars = raw.variables ?? [];
  if (!Array.isArray(vars)) throw new VisParseError('variables must be a list');
  const variables: Variable[] = vars.map((v, i) => {
    if (!isObj(v) || typeof v.name !== 'string') throw new VisParseError(`variable ${i} has no name`);
    const valid = field(v, 'validValues', 'valid_values');
    return {
      name: v.name,
      type: str(v.type) ?? 'PX_STRING',
      defaultValue: str(field(v, 'defaultValue', 'default_value')),
      description: str(v.description) ?? '',
      validValues: Array.isArray(valid) ? valid.filter((x): x is string => typeof x === 'string') : [],
    };
  });
  const globals = field(raw, 'globalFuncs', 'global_funcs') ?? [];
  if (!Array.isArray(globals)) throw new VisParseError('globalFuncs must be a list');
  const globalNames = new Set(
    globals.map((g) => (isObj(g) ? str(field(g, 'outputName', 'output_name')) : null)).filter((g): g is string => !!g),
  );
  const ws = raw.widgets ?? [];
  if (!Array.isArray(ws)) throw new VisParseError('widgets must be a list');
  const widgets: Widget[] = ws.map((w, i) => {
    if (!isObj(w)) throw new VisParseError(`widget ${i} is not an object`);
    const name = str(w.name);
    const global = str(field(w, 'globalFuncOutputName', 'global_func_output_name'));
    let outputName: string;
    if (isObj(w.func)) {
      outputName = name ?? `widget_${i}`;
    } else if (global) {
      if (!globalNames.has(global)) throw new VisParseError(`widget ${i} refers to unknown global function output '${global}'`);
      outputName = global;
    } else {
      throw new VisParseError(`widget ${i} has neither func nor globalFuncOutputName`);
    }
    const ds = field(w, 'displaySpec', 'display_spec');
    const spec: Obj = isObj(ds) ? { ...ds } : {};
    const kind = widgetKind(spec['@type']);
    delete spec['@type'];
    return { name: name ?? outputName, outputName, position: position(w.position), kind, spec };
  });
  return { variables, widgets };
}

/** CSS grid placement of a widget on Pixie's 12-column grid (stacked full width without positions). */
export function gridArea(w: Widget, index: number): { gridColumn: string; gridRow: string } {
  const p = w.position;
  if (!p) return { gridColumn: '1 / span 12', gridRow: `${index * 4 + 1} / span 4` };
  const x = Math.max(0, Math.min(11, p.x));
  const span = Math.max(1, Math.min(12 - x, p.w));
  return { gridColumn: `${x + 1} / span ${span}`, gridRow: `${p.y + 1} / span ${Math.max(1, p.h)}` };
}

/** Input kind for a vis variable type or a PxL annotation. */
export type InputKind = 'int' | 'float' | 'bool' | 'string';

export function inputKind(typeOrAnnotation: string): InputKind {
  switch (typeOrAnnotation) {
    case 'PX_INT64':
    case 'int':
      return 'int';
    case 'PX_FLOAT64':
    case 'float':
      return 'float';
    case 'PX_BOOLEAN':
    case 'bool':
      return 'bool';
    default:
      return 'string';
  }
}

/** Checks a form value against its input kind; returns an error message or null. */
export function validateArg(kind: InputKind, v: string): string | null {
  if (kind === 'int' && !/^-?\d+$/.test(v.trim())) return 'must be a whole number';
  if (kind === 'float' && (v.trim() === '' || Number.isNaN(Number(v)))) return 'must be a number';
  if (kind === 'bool' && !['true', 'false', 'True', 'False'].includes(v.trim())) return 'must be true or false';
  return null;
}
