// Shapes of the seer-web JSON API (crates/seer-web/src/api.rs).

export interface Column {
  name: string;
  data_type: string;
  semantic_type: string;
}

export type Cell = string | number | boolean | null;

export interface Table {
  name: string;
  columns: Column[];
  rows: Cell[][];
}

export interface DataWarning {
  table: string;
  message: string;
  rows_evicted: number;
  rows_dropped: number;
}

export interface RunStats {
  rows_scanned: number;
  bytes_scanned: number;
  batches_pruned: number;
  rows_returned: number;
  compile_ms: number;
  exec_ms: number;
}

export interface RunResult {
  tables: Table[];
  warnings: DataWarning[];
  stats: RunStats;
}

export interface RunRequest {
  script?: string;
  pxl?: string;
  vis?: string;
  args?: Record<string, string>;
  func?: string;
  start_time?: string;
}

export interface ScriptSummary {
  name: string;
  short: string;
  long: string;
  has_vis: boolean;
}

export interface ParamSig {
  name: string;
  annotation: string;
  default: string | null;
}

export interface FunctionSig {
  name: string;
  params: ParamSig[];
}

export interface ScriptDetail {
  name: string;
  pxl: string;
  vis: string | null;
  manifest: { short: string; long: string };
  functions: FunctionSig[];
}

export interface TableInfo {
  name: string;
  desc: string;
  columns: { name: string; data_type: string; semantic_type: string; desc: string }[];
  rows_held: number;
  bytes_held: number;
  budget_bytes: number;
  rows_appended: number;
  rows_evicted: number;
  rows_refused: number;
  min_time_ns: number | null;
  max_time_ns: number | null;
}
