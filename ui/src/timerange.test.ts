import { describe, expect, it } from 'vitest';
import { parseStartTime } from './timerange';

describe('custom time range', () => {
  const now = Date.parse('2026-11-29T15:00:00');
  it('keeps PxL relative times', () => {
    expect(parseStartTime(' -30s ', now)).toBe('-30s');
    expect(parseStartTime('-2h', now)).toBe('-2h');
    expect(parseStartTime('-1.5m', now)).toBe('-1.5m');
  });
  it('turns dates into seconds before now', () => {
    expect(parseStartTime('2026-11-29 14:00', now)).toBe('-3600s');
    expect(parseStartTime('2026-11-29T14:59:30', now)).toBe('-30s');
    expect(parseStartTime('2026-11-29 16:00', now)).toBe('-1s');
  });
  it('refuses anything else', () => {
    expect(parseStartTime('5m', now)).toBeNull();
    expect(parseStartTime('yesterday', now)).toBeNull();
    expect(parseStartTime('', now)).toBeNull();
  });
});
