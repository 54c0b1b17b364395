import { describe, expect, it } from 'vitest';
import { maskEchoedNames } from '../../../src/analysis/templates/masks/echo.js';
import { isAlnum, isAlpha, isDigit } from '../../../src/analysis/templates/masks/chars.js';
import { maskToken, maskTokens } from '../../../src/analysis/templates/masks/mask.js';
import { LineShape, TOKEN_AT, TOKEN_COLONS, TOKEN_DIGIT, TOKEN_SLASH, tokenShape, tokenize } from '../../../src/analysis/templates/tokenize.js';

function mask(line: string, extra: { name: string; pattern: RegExp }[] = []): string[] {
  const shape = new LineShape(256);
  const tokens = tokenize(line, shape);
  const flags = new Uint8Array(tokens.length);
  maskTokens(tokens, flags, extra, shape);
  return tokens;
}

describe('char classes', () => {
  it('are the ASCII digit and letter ranges, for every UTF-16 code unit', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const digit = c >= 48 && c <= 57;
      const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      if (isDigit(c) !== digit || isAlpha(c) !== alpha || isAlnum(c) !== (digit || alpha)) wrong.push(c);
    }
    expect(wrong).toEqual([]);
  });
});

describe('tokenize', () => {
  it('splits on runs of whitespace and drops empty tokens', () => {
    expect(tokenize('  a\tb   c\n')).toEqual(['a', 'b', 'c']);
    expect(tokenize('')).toEqual([]);
  });

  it('notes the shape of each token it has room for, and whether the line holds a quote', () => {
    const shape = new LineShape(6);
    const tokens = tokenize('bob@example.org ok /var/log 17ms fe80::1 [x]: C:\\dir {"a":1,"b":2}', shape);
    expect(shape.flags).toEqual(Uint8Array.of(TOKEN_AT, 0, TOKEN_SLASH, TOKEN_DIGIT, TOKEN_DIGIT | TOKEN_COLONS, 0));
    expect([...shape.flags]).toEqual(tokens.slice(0, 6).map(tokenShape));
    expect(shape.quote).toBe(true);
    tokenize("it's", shape);
    expect(shape.quote).toBe(true);
    tokenize('no quote here', shape);
    expect(shape.quote).toBe(false);
  });
});

describe('masks', () => {
  it.each([
    ['numbers', 'took 42 ms -7 3.14', 'took <num> <dur> <num> <num>'],
    ['numbers inside key=value', 'totalSteps=3579 size=12,k=v', 'totalSteps=<num> size=<num>,k=v'],
    ['numbers inside identifiers', 'blk_-6952295868487656571 appattempt_1445144423722_0020_000001', 'blk_<num> appattempt_<num>_<num>_<num>'],
    ['hex', '0x7f3a at deadbeef01 not deadline', '<hex> at <hex> not deadline'],
    ['IPv4 with port and slash', 'from /10.10.34.11:45307 and 8.8.8.8', 'from /<ip>:<num> and <ip>'],
    ['IPv6', 'peer fe80::1ff:fe23:4567:890a, [2001:db8::1]:443 2001:0db8:0000:0000:0000:ff00:0042:8329', 'peer <ip>, [<ip>]:<num> <ip>'],
    ['UUIDs', 'instance b9000564-fe1a-409b-b8cc-1e88b294cd1d started', 'instance <uuid> started'],
    ['durations', 'done in 12ms, 3.5s, 1h; at 18:01:47,978 lifetime 00:02', 'done in <dur>, <dur>, <dur>; at <dur> lifetime <dur>'],
    ['sizes', 'read 64KB of 4MiB then 1.16 KB)', 'read <size> of <size> then <num> <size>)'],
    ['paths and URLs', 'open /etc/httpd/conf/x.properties ./a/b C:\\Windows\\x.dll https://example.com/a?b=1', 'open <path> <path> <path> <url>'],
    ['emails', 'mail to bob.smith+x@example.co.uk,', 'mail to <email>,'],
    ['quoted strings', `filter 'safety' said "the quick brown fox jumps" ok`, `filter '<str>' said "<str> <str> <str> <str> <str>" ok`],
    ['dates', 'at Sat Jun 18 02:08:10 2005 and then May I go', 'at <date> <date> <num> <dur> <num> and then May I go'],
  ])('%s', (_kind, line, expected) => {
    expect(mask(line).join(' ')).toBe(expected);
  });

  it('keeps short quoted request lines structured so the method stays', () => {
    expect(mask('"GET /v2/abc/servers/detail HTTP/1.1" status: 200').join(' ')).toBe('"GET <path> HTTP/<num>" status: <num>');
  });

  it('masks a quoted value after key= whatever its length, keeping the key', () => {
    expect(mask('grab handle=41, label="Screen Dim Guard", owner=ui.shell').join(' ')).toBe(
      'grab handle=<num>, label="<str> <str> <str>", owner=ui.shell',
    );
    expect(mask("grab label='net_keepalive', owner=radio").join(' ')).toBe("grab label='<str>', owner=radio");
    expect(mask('grab label="", owner=radio').join(' ')).toBe('grab label="", owner=radio');
    expect(mask('a b=c"d e" f').join(' ')).toBe('a b=c"d e" f');
  });

  it('masks the quoted values of compact JSON members but keeps what says what happened', () => {
    expect(mask('{"level":"warn","event":"login_failed","user":"dilan85","ip":"203.0.113.9","n":3}').join(' ')).toBe(
      '{"level":"warn", "event":"login_failed", "user":"<str>", "ip":"<str>", "n":<num>}',
    );
  });

  it("keeps the event's text in a logfmt msg=, message= or event= value", () => {
    expect(mask('level=info msg="query served" latency_ms=84').join(' ')).toBe('level=info msg="query served" latency_ms=<num>');
    expect(mask('level=error Message="payment declined for order 7" code=51').join(' ')).toBe(
      'level=error Message="payment declined for order <num>" code=<num>',
    );
  });

  it('leaves words, mixed identifiers and punctuation alone', () => {
    for (const t of ['jk2_init()', 'ssh2', 'HTTPS', 'SOCKS5', '-', '...', 'usbcore:', 'a/b', '4G/4G', 'Can\'t']) {
      if (t === '4G/4G') expect(maskToken(t)).toBe('<size>/<size>');
      else expect(maskToken(t)).toBe(t);
    }
  });

  it('applies extra masks inside tokens', () => {
    expect(mask('user=alice job JOB-77', [{ name: 'job', pattern: /JOB-\d+/g }]).join(' ')).toBe('user=alice job <job>');
  });

  it('never changes the token count', () => {
    const lines = [
      'a "b c d e f g" h',
      `x 'unterminated quote y z`,
      '1.16 KB) sent, lifetime <1 sec',
      'Sat Jun 18 02:08:10 2005',
      '" " \'\' "" a',
      'rhost=  user=root uid=0 10.0.0.1:80 fe80::1 /a/b/c',
    ];
    for (const line of lines) expect(mask(line)).toHaveLength(tokenize(line).length);
  });

  it('sets a flag for every masked token and only those', () => {
    const shape = new LineShape(256);
    const tokens = tokenize('user bob from 10.0.0.1 port 22', shape);
    const flags = new Uint8Array(tokens.length);
    maskTokens(tokens, flags, [], shape);
    expect([...flags]).toEqual([0, 0, 0, 1, 0, 1]);
  });
});

describe('echoed names', () => {
  function echo(line: string): string[] {
    const tokens = tokenize(line);
    const flags = new Uint8Array(tokens.length);
    maskEchoedNames(tokens, flags, line);
    return tokens;
  }

  it('masks an upper-case word the line repeats inside a path or longer value, keeping its punctuation', () => {
    expect(echo("Loading offline registry hive: SOFTWARE, into registry key '{bf1a}GLOBALROOT/config/SOFTWARE' from path 'C:\\config\\SOFTWARE'.")).toEqual(
      "Loading offline registry hive: <name>, into registry key '{bf1a}GLOBALROOT/config/SOFTWARE' from path 'C:\\config\\SOFTWARE'.".split(' '),
    );
    expect(echo('moved DATA to /srv/DATA_old')[1]).toBe('<name>');
  });

  it('keeps a word that stands on its own every time it occurs, and short or mixed-case words', () => {
    const zk = 'Notification: 2 (n.leader), LOOKING (n.state), 1 (n.sid), LOOKING (my state)';
    expect(echo(zk)).toEqual(tokenize(zk));
    expect(echo("state RUNNING, was 'RUNNING'")).toEqual(tokenize("state RUNNING, was 'RUNNING'"));
    expect(echo('ID /x/ID Software /opt/Software')).toEqual(tokenize('ID /x/ID Software /opt/Software'));
  });
});
