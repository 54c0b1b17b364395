import { describe, expect, it } from 'vitest';
import { FileSourceConfigSchema } from '../../../src/sources/file/config.js';
import { compilePattern, PatternError } from '../../../src/sources/file/pattern.js';
import { compileLayout, LayoutError } from '../../../src/sources/file/strptime.js';

describe('strptime layouts', () => {
  it.each([
    ['%Y-%m-%d %H:%M:%S', '2025-03-09 14:02:11', Date.UTC(2025, 2, 9, 14, 2, 11)],
    ['%d/%b/%Y:%H:%M:%S %z', '09/Mar/2025:14:02:11 -0700', Date.UTC(2025, 2, 9, 21, 2, 11)],
    ['%Y%m%d-%H:%M:%S:%L', '20250309-14:02:11:606', Date.UTC(2025, 2, 9, 14, 2, 11, 606)],
    ['%Y%m%d-%H:%M:%S:%L', '20250309-14:2:7:5', Date.UTC(2025, 2, 9, 14, 2, 7, 500)],
    ['%F %T.%f', '2025-03-09 14:02:11.123456', Date.UTC(2025, 2, 9, 14, 2, 11, 123) + 0.456],
    ['%y%m%d %H%M%S', '081109 203615', Date.UTC(2008, 10, 9, 20, 36, 15)],
    ['%a %b %e %T %Y', 'Sun Mar  9 14:02:11 2025', Date.UTC(2025, 2, 9, 14, 2, 11)],
    ['%m/%d/%Y %I:%M:%S %p', '03/09/2025 02:02:11 PM', Date.UTC(2025, 2, 9, 14, 2, 11)],
    ['%s', '1741528931.5', 1741528931500],
    ['%Y.%j %H:%M', '2025.068 14:02', Date.UTC(2025, 2, 9, 14, 2)],
  ])('%s reads %s', (layout, text, expected) => {
    expect(compileLayout(layout)(text)).toBe(expected);
  });

  it('does not read text of another shape, and refuses unknown directives', () => {
    expect(compileLayout('%Y-%m-%d')('09/03/2025')).toBeUndefined();
    expect(compileLayout('%Y-%m-%d %H:%M:%S')('2025-13-09 14:02:11')).toBeUndefined();
    expect(() => compileLayout('%Y-%Q')).toThrow(new LayoutError('unknown directive %Q at offset 3 of "%Y-%Q"'));
    expect(() => compileLayout('%M:%S')).toThrow(LayoutError);
  });
});

describe('user patterns', () => {
  it('named groups become fields; other named groups are kept; no message group means the whole line', () => {
    const parse = compilePattern({ regex: String.raw`^(?<timestamp>\d+) (?<level>\w+) req=(?<request_id>\w+)` });
    expect(parse('1741528931 error req=ab12 boom')).toEqual({ timestamp: 1741528931000, level: 'error', request_id: 'ab12', message: '1741528931 error req=ab12 boom' });
    expect(parse('no')).toBeUndefined();
    expect(compilePattern({ regex: '(?<timestamp>\\S+) (?<message>.*)', timestamp_format: '%Y-%m-%d' })('x y')).toBeUndefined();
  });

  it('is validated at start-up with the reason', () => {
    const bad = (pattern: object) => {
      const r = FileSourceConfigSchema.safeParse({ pattern });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(bad({ regex: '(?<message>.*' })[0]).toMatch(/^pattern\.regex: not a valid regular expression: /);
    expect(bad({ regex: '(?<msg>.*)' })).toEqual(['pattern.regex: needs at least one named group of (?<timestamp>…), (?<level>…), (?<service>…), (?<host>…), (?<message>…)']);
    expect(bad({ regex: '(?<message>.*)', timestamp_format: '%Y' })).toEqual(['pattern.timestamp_format: timestamp_format is set but the regex has no (?<timestamp>…) group']);
    expect(bad({ regex: '(?<timestamp>\\S+) (?<message>.*)', timestamp_format: '%Y-%q' })).toEqual(['pattern.timestamp_format: timestamp_format: unknown directive %q at offset 3 of "%Y-%q"']);
    expect(FileSourceConfigSchema.safeParse({ format: 'pattern' }).error?.issues[0].message).toBe('format "pattern" needs sources.file.pattern.regex (or --pattern)');
    expect(FileSourceConfigSchema.safeParse({ format: 'json', pattern: { regex: '(?<message>.*)' } }).error?.issues[0].message).toBe(
      'a pattern is set but format is "json": use format pattern (or auto)',
    );
    expect(() => compilePattern({ regex: '(' })).toThrow(PatternError);
  });
});
