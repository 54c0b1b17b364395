import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../src/analysis/anomaly.js';
import { renderWindowView, type ViewTemplate } from '../../src/analysis/view.js';
import { T0, makeWindow } from './detector/support.js';

const lines = [
  'INFO GET /api/orders/1 200 12ms',
  'INFO GET /api/orders/2 200 15ms',
  'ERROR ledger refused connection: ECONNREFUSED 10.0.0.7:5432',
  'INFO GET /api/orders/3 200 9ms',
  'WARN retrying ledger call attempt 2',
];
const window = makeWindow(T0, lines.map((message, i) => ({ message, at: i * 1500 })));

const templates: ViewTemplate[] = [
  { id: 'tbbbbbbbbbbbb', template: 'WARN retrying ledger call attempt <num>', count: 1, first: T0 + 6000, last: T0 + 6000, examples: [lines[4]] },
  { id: 'taaaaaaaaaaaa', template: 'INFO GET /api/orders/<num> 200 <num>ms', count: 3, first: T0, last: T0 + 4500, examples: [lines[0], lines[1], lines[3], 'never shown'] },
  { id: 'tcccccccccccc', template: 'ERROR ledger refused connection: ECONNREFUSED <ip>:<num>', count: 1, first: T0 + 3000, last: T0 + 3000, examples: [lines[2]] },
];

const anomaly: Anomaly = {
  severity: 'high',
  type: 'new_template',
  summary: 'A kind of line never seen before appeared.',
  evidence: [lines[2]],
  recommended_action: 'Check the ledger database.',
  score: 0.7,
  templates: ['tcccccccccccc'],
  detector: 'embedded',
  analysis: 'full',
};

describe('renderWindowView', () => {
  it('renders the header, signals with verbatim evidence, and templates by count', () => {
    const view = renderWindowView(window, templates, [anomaly]);
    expect(view).toBe(
      [
        'stream payments|web-1 (service payments, host web-1)',
        'time 2024-05-01T10:00:00.000Z to 2024-05-01T10:00:06.000Z (6s, closed by time)',
        'lines 5 (error 1, warn 1, info 3)',
        '',
        'signals (1):',
        '1. high new_template score 0.70 [tcccccccccccc]: A kind of line never seen before appeared.',
        `  > ${lines[2]}`,
        '',
        'templates (3, by count):',
        '- taaaaaaaaaaaa x3 10:00:00-10:00:04.500: INFO GET /api/orders/<num> 200 <num>ms',
        `  > ${lines[0]}`,
        `  > ${lines[1]}`,
        `  > ${lines[3]}`,
        `- tcccccccccccc x1 10:00:03: ${lines[2]}`,
        `- tbbbbbbbbbbbb x1 10:00:06: ${lines[4]}`,
        '',
      ].join('\n'),
    );
  });

  it('is stable: input order does not change the text', () => {
    const a = renderWindowView(window, templates, [anomaly]);
    const b = renderWindowView(window, [...templates].reverse(), [anomaly]);
    expect(b).toBe(a);
  });

  it('keeps multi-line evidence verbatim and omits the signals section when there are none', () => {
    const trace = 'ERROR unhandled exception\n  at Ledger.write (ledger.js:42)\n  at main (index.js:7)';
    const w = makeWindow(T0, [trace]);
    const withSignal = renderWindowView(w, [], [{ ...anomaly, evidence: [trace] }]);
    expect(withSignal).toContain(trace);
    const quiet = renderWindowView(w, [], []);
    expect(quiet).not.toContain('signals');
    expect(quiet).toContain('templates (0, by count):');
  });

  it('uses full timestamps when the window crosses midnight UTC', () => {
    const start = Date.UTC(2024, 4, 1, 23, 59, 59);
    const w = makeWindow(start, [{ message: 'INFO a 1' }, { message: 'INFO a 2', at: 2000 }]);
    const view = renderWindowView(w, [{ id: 't1', template: 'INFO a <num>', count: 2, first: start, last: start + 2000, examples: ['INFO a 1'] }], []);
    expect(view).toContain('- t1 x2 2024-05-01T23:59:59.000Z-2024-05-02T00:00:01.000Z: INFO a <num>');
  });
});
