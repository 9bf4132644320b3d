import { describe, expect, it } from 'vitest';
import {
  compareCells,
  formatBytes,
  formatCell,
  formatDuration,
  formatPercent,
  formatTime,
  jsonCell,
  parseScriptRef,
  scriptRefHref,
  unitOf,
} from './format';

const col = (name: string, semantic_type = 'ST_NONE', data_type = 'INT64') => ({ name, semantic_type, data_type });

describe('formatting by semantic type', () => {
  it('formats bytes with binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GiB');
    expect(formatBytes(-2048)).toBe('-2 KiB');
  });
  it('formats durations in nanoseconds', () => {
    expect(formatDuration(850)).toBe('850 ns');
    expect(formatDuration(1_200)).toBe('1.2 µs');
    expect(formatDuration(3_400_000)).toBe('3.4 ms');
    expect(formatDuration(2_500_000_000)).toBe('2.5 s');
    expect(formatDuration(200e9)).toBe('3 min 20 s');
    expect(formatDuration(7500e9)).toBe('2 h 5 min');
  });
  it('formats percentages, fractions for ST_PERCENT', () => {
    expect(formatPercent(0.256, true)).toBe('25.6 %');
    expect(formatPercent(3.14159, false)).toBe('3.14 %');
    expect(formatCell(0.5, col('error_rate', 'ST_PERCENT', 'FLOAT64'))).toBe('50 %');
  });
  it('picks units from semantic types first, then column names', () => {
    expect(unitOf(col('x', 'ST_BYTES'))).toBe('bytes');
    expect(unitOf(col('latency', 'ST_DURATION_NS'))).toBe('duration_ns');
    expect(unitOf(col('rss_bytes'))).toBe('bytes');
    expect(unitOf(col('read_bytes_per_s', 'ST_NONE', 'FLOAT64'))).toBe('bytes_per_s');
    expect(unitOf(col('cpu_pct', 'ST_NONE', 'FLOAT64'))).toBe('percent');
    expect(unitOf(col('latency_ns'))).toBe('duration_ns');
    expect(unitOf(col('pid'))).toBe('plain');
    expect(unitOf(col('cmd', 'ST_NONE', 'STRING'))).toBe('plain');
    expect(unitOf(col('time_', 'ST_NONE', 'TIME64NS'))).toBe('time');
  });
  it('formats cells', () => {
    expect(formatCell(null, col('a'))).toBe('–');
    expect(formatCell(3 * 1024 * 1024, col('rss_bytes'))).toBe('3 MiB');
    expect(formatCell(2048, col('read_bytes_per_s', 'ST_NONE', 'FLOAT64'))).toBe('2 KiB/s');
    expect(formatCell(3e-6, col('bps', 'ST_THROUGHPUT_BYTES_PER_NS', 'FLOAT64'))).toBe('2.9 KiB/s');
    expect(formatCell(1234567, col('n'))).toBe('1,234,567');
    expect(formatCell(true, col('b', 'ST_NONE', 'BOOLEAN'))).toBe('true');
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6) * 1e6)).toMatch(/^2026-01-0[12] \d\d:04:05\.006$/);
  });
});

describe('script references and JSON cells', () => {
  it('parses px.script_reference values into deep links', () => {
    const ref = parseScriptRef('{"label":"nginx","script":"px/pod","args":{"pod":"ns/nginx","start_time":"-5m"}}');
    expect(ref).toEqual({ label: 'nginx', script: 'px/pod', args: { pod: 'ns/nginx', start_time: '-5m' } });
    expect(ref && scriptRefHref(ref)).toBe('/view/px/pod?pod=ns%2Fnginx&start_time=-5m'.replace('pod=', 'arg.pod='));
    expect(parseScriptRef('not json')).toBeNull();
    expect(parseScriptRef('{"label":"x"}')).toBeNull();
    expect(formatCell('{"label":"L","script":"px/a"}', col('r', 'ST_SCRIPT_REFERENCE', 'STRING'))).toBe('L');
  });
  it('detects JSON cells', () => {
    expect(jsonCell('{"a": 1}')).toEqual({ a: 1 });
    expect(jsonCell('[1,2]')).toEqual([1, 2]);
    expect(jsonCell('{nope')).toBeNull();
    expect(jsonCell('plain')).toBeNull();
    expect(jsonCell(5)).toBeNull();
  });
  it('sorts numbers numerically and nulls last', () => {
    const v = [10, null, 2, 33];
    expect([...v].sort(compareCells)).toEqual([2, 10, 33, null]);
    expect(['a10', 'a9', 'a100'].sort(compareCells)).toEqual(['a9', 'a10', 'a100']);
  });
});
