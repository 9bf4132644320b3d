import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gridArea, inputKind, parseVis, validateArg, VisParseError, widgetKind } from './vis';

describe('vis.json parsing', () => {
  it('parses the bundled px/processes spec', () => {
    const text = readFileSync(new URL('../../scripts/px/processes/vis.json', import.meta.url), 'utf8');
    const vis = parseVis(text);
    expect(vis.variables.map((v) => v.name)).toContain('start_time');
    expect(vis.widgets[0]?.kind).toBe('Table');
    expect(vis.widgets[0]?.outputName).toBe('Processes');
  });

  it('parses every bundled vis.json into known widget kinds', () => {
    const root = new URL('../../scripts/', import.meta.url);
    let n = 0;
    for (const group of readdirSync(root)) {
      for (const name of readdirSync(new URL(`${group}/`, root))) {
        const file = new URL(`${group}/${name}/vis.json`, root);
        if (!existsSync(file)) continue;
        const vis = parseVis(readFileSync(file, 'utf8'));
        expect(vis.widgets.length, `${group}/${name}`).toBeGreaterThan(0);
        for (const w of vis.widgets) expect(w.kind, `${group}/${name}: ${w.name}`).not.toBe('Unknown');
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(2);
  });

  it('names outputs like the server: widget name, widget_<i>, or the global output', () => {
    const vis = parseVis(
      JSON.stringify({
        variables: [{ name: 'start_time', type: 'PX_STRING', defaultValue: '-5m', validValues: ['-5m', '-1h'] }],
        globalFuncs: [{ outputName: 'stats', func: { name: 'stats', args: [] } }],
        widgets: [
          {
            name: 'Latency',
            globalFuncOutputName: 'stats',
            position: { x: 0, y: 0, w: 6, h: 3 },
            displaySpec: {
              '@type': 'types.px.dev/px.vispb.TimeseriesChart',
              timeseries: [{ value: 'latency', mode: 'MODE_LINE' }],
            },
          },
          { func: { name: 'f', args: [] }, displaySpec: { '@type': 'types.px.dev/px.vispb.Graph' } },
          { name: 'odd', func: { name: 'g' }, display_spec: { '@type': 'types.px.dev/px.vispb.Nope' } },
        ],
      }),
    );
    expect(vis.variables[0]).toEqual({
      name: 'start_time',
      type: 'PX_STRING',
      defaultValue: '-5m',
      description: '',
      validValues: ['-5m', '-1h'],
    });
    expect(vis.widgets.map((w) => [w.name, w.outputName, w.kind])).toEqual([
      ['Latency', 'stats', 'TimeseriesChart'],
      ['widget_1', 'widget_1', 'Graph'],
      ['odd', 'odd', 'Unknown'],
    ]);
    expect(vis.widgets[0]?.spec).toEqual({ timeseries: [{ value: 'latency', mode: 'MODE_LINE' }] });
    expect(gridArea(vis.widgets[0]!, 0)).toEqual({ gridColumn: '1 / span 6', gridRow: '1 / span 3' });
    expect(gridArea(vis.widgets[1]!, 1)).toEqual({ gridColumn: '1 / span 12', gridRow: '5 / span 4' });
  });

  it('rejects malformed specs', () => {
    expect(() => parseVis('{')).toThrow(VisParseError);
    expect(() => parseVis('[]')).toThrow(/must be an object/);
    expect(() => parseVis('{"widgets": [{"globalFuncOutputName": "x"}]}')).toThrow(/unknown global/);
    expect(() => parseVis('{"widgets": [{"name": "w"}]}')).toThrow(/neither func/);
    expect(() => parseVis('{"variables": [{}]}')).toThrow(/no name/);
  });

  it('maps widget types and argument kinds', () => {
    expect(widgetKind('types.px.dev/px.vispb.StackTraceFlameGraph')).toBe('StackTraceFlameGraph');
    expect(widgetKind(undefined)).toBe('Unknown');
    expect(inputKind('PX_INT64')).toBe('int');
    expect(inputKind('float')).toBe('float');
    expect(inputKind('PX_POD')).toBe('string');
    expect(validateArg('int', '12')).toBeNull();
    expect(validateArg('int', '1.5')).toMatch(/whole/);
    expect(validateArg('float', 'x')).toMatch(/number/);
    expect(validateArg('bool', 'True')).toBeNull();
  });
});
