import { describe, expect, it } from 'vitest';
import { RedactionConfigSchema } from '../../../src/analysis/redaction/config.js';
import { luhnValid } from '../../../src/analysis/redaction/luhn.js';
import { Redactor } from '../../../src/analysis/redaction/redactor.js';

const redactor = (input: unknown = {}) => new Redactor(RedactionConfigSchema.parse(input));

describe('luhnValid', () => {
  it('accepts the published test card numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('5500005555555559')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('41111a1111111111')).toBe(false);
  });
});

describe('Redactor secrets', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  const cases: Array<[string, string, string]> = [
    ['bearer token', 'GET /api Authorization: Bearer abc123def456ghi789', 'abc123def456ghi789'],
    ['JWT', `session=${jwt} refreshed`, jwt],
    ['AWS access key id', 'using key AKIAIOSFODNN7EXAMPLE for s3', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS secret in a pair', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['password in a URL', 'connecting to postgres://app:s3cr3t-pw@db.internal:5432/orders', 's3cr3t-pw'],
    ['password pair', 'login ok user=alice password=hunter2!', 'hunter2!'],
    ['JSON password', '{"user":"bob","password":"correct horse battery"}', 'correct horse battery'],
    ['ADO.NET connection string', 'Server=tcp:x.database.windows.net;User ID=sa;Password=P@ssw0rd123;Encrypt=True', 'P@ssw0rd123'],
    ['Azure storage key', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=='],
    ['api key header', 'x-api-key: 9f8e7d6c5b4a39281706', '9f8e7d6c5b4a39281706'],
    ['GitHub token', 'cloning with ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'],
  ];
  for (const [name, line, secret] of cases) {
    it(`redacts a ${name}`, () => {
      const out = redactor().redact(line);
      expect(out).not.toContain(secret);
      expect(out).toMatch(/<[A-Z_]+_1>/);
    });
  }

  it('redacts a whole private key block, also when the END line was cut off', () => {
    const block = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7x\nq9Zq\n-----END RSA PRIVATE KEY-----';
    expect(redactor().redact(`loaded key ${block} ok`)).toBe('loaded key <PRIVATE_KEY_1> ok');
    expect(redactor().redact('key: -----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq')).toBe('key: <PRIVATE_KEY_1>');
  });

  it('keeps the context around the value readable', () => {
    expect(redactor().redact('password=hunter22 retry=3')).toBe('password=<SECRET_1> retry=3');
    expect(redactor().redact('Authorization: Bearer abc123def456ghi789')).toBe('Authorization: Bearer <TOKEN_1>');
  });

  it('leaves ordinary lines alone', () => {
    const lines = [
      'GET /health 200 12ms',
      'max_tokens=100 tokens_used=42 author=jane',
      '2024-06-10T12:30:45Z worker 7 finished job 1718000000000 in 3.2s',
      'connected to 10.0.0.12:8080',
    ];
    const r = redactor();
    for (const line of lines) expect(r.redact(line)).toBe(line);
  });
});

describe('Redactor personal data', () => {
  it('redacts e-mails, Luhn-valid card numbers and phone numbers', () => {
    const out = redactor().redact('order by jane.doe@example.com card 4111 1111 1111 1111 phone +1 415 555 0100 alt (415) 555-0199');
    expect(out).toBe('order by <EMAIL_1> card <CARD_1> phone <PHONE_1> alt <PHONE_2>');
  });

  it('keeps digit runs that fail the Luhn check or carry no issuer prefix', () => {
    const r = redactor();
    expect(r.redact('trace 4111111111111112 done')).toBe('trace 4111111111111112 done');
    expect(r.redact('ts=1718000000000 id=1234567890123456')).toBe('ts=1718000000000 id=1234567890123456');
  });

  it('redacts IP addresses only when asked to', () => {
    expect(redactor().redact('peer 192.168.1.20 reset')).toBe('peer 192.168.1.20 reset');
    const r = redactor({ ip_addresses: true });
    expect(r.redact('peer 192.168.1.20 reset, v6 2001:db8::1 too, at 12:30:45')).toBe('peer <IP_1> reset, v6 <IP_2> too, at 12:30:45');
  });
});

describe('Redactor placeholders', () => {
  it('gives a repeated value the same placeholder and different values different ones', () => {
    const r = redactor();
    expect(r.redact('login alice@example.com')).toBe('login <EMAIL_1>');
    expect(r.redact('logout bob@example.com')).toBe('logout <EMAIL_2>');
    expect(r.redact('retry alice@example.com')).toBe('retry <EMAIL_1>');
  });

  it('numbers identically for identical input, so equal windows redact to equal text', () => {
    const text = 'token=abcdef123456 mail carol@example.org token=abcdef123456';
    expect(redactor().redact(text)).toBe(redactor().redact(text));
  });

  it('replaces a learned value where it appears without its key, and truncated copies of long values', () => {
    const r = redactor();
    r.redact('password=Tr0ub4dor-3xyz');
    expect(r.redact('params: [alice, Tr0ub4dor-3xyz]')).toBe('params: [alice, <SECRET_1>]');
    r.redact('api_key=sk_live_0123456789abcdefghijkl');
    expect(r.redact('example: key sk_live_0123456…')).not.toContain('sk_live_0123');
  });

  it('applies user patterns with a stable, named placeholder', () => {
    const r = redactor({ patterns: [{ name: 'customer_id', regex: 'cust-(\\d{6})' }] });
    expect(r.redact('charge failed for cust-123456 and cust-123456')).toBe('charge failed for cust-<CUSTOMER_ID_1> and cust-<CUSTOMER_ID_1>');
  });

  it('stays bounded: past max_values new values are still redacted', () => {
    const r = redactor({ max_values: 2 });
    const out = ['a1@x.io', 'a2@x.io', 'a3@x.io'].map((m) => r.redact(`to ${m}`));
    expect(out.join(' ')).not.toMatch(/@x\.io/);
    expect(r.size).toBe(2);
  });

  it('rejects an invalid or empty-matching user pattern at config time', () => {
    expect(() => RedactionConfigSchema.parse({ patterns: [{ name: 'x', regex: '(' }] })).toThrow(/invalid regular expression/);
    expect(() => RedactionConfigSchema.parse({ patterns: [{ name: 'x', regex: 'a*' }] })).toThrow(/empty string/);
  });
});

describe('Redactor: secrets that arrive in pieces or bare (issue 9 item 9)', () => {
  const key = [
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEpAIBAAKCAQEA7xq9ZqT3Yt0cQm2x8vVh1Jb5s4mQd8kRk3WZy6lG0e9Tn2aPwq',
    'Lr1h3YxW0pQ2m8KcN7uJ6fB5vD4sA3tE2rF1gH0iJ9kL8mN7oP6qR5sT4uV3wX2y',
    '-----END RSA PRIVATE KEY-----',
  ];

  it('redacts a PEM key whose lines are separate records, under one placeholder, and lines after its END normally', () => {
    const r = redactor();
    const out = [...key, 'key loaded, password=hunter22'].map((line) => r.redact(line));
    expect(out.slice(0, 4)).toEqual(['<PRIVATE_KEY_1>', '<PRIVATE_KEY_1>', '<PRIVATE_KEY_1>', '<PRIVATE_KEY_1>']);
    expect(out[4]).toBe('key loaded, password=<SECRET_1>');
  });

  it('redacts PEM body lines seen without their BEGIN line (the block started in an earlier window)', () => {
    expect(redactor().redact(key[2])).toBe('<PRIVATE_KEY_1>');
  });

  it('redacts a bare 40-character AWS secret access key, but not a SHA-1, a path or a word', () => {
    const r = redactor();
    expect(r.redact('creds wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY loaded')).toBe('creds <SECRET_1> loaded');
    const harmless = [
      'commit 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 deployed',
      'GET /api/v1/Users/12345/orders/abcdefghijklmn/items 200',
      'ThisIsAnOrdinarySentenceWithoutSpaces123',
    ];
    for (const line of harmless) expect(r.redact(line)).toBe(line);
  });

  it('redacts Slack webhook URLs and keeps the host readable', () => {
    const out = redactor().redact('posting to https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/abcDEF123ghiJKL456mnoPQR7 failed');
    expect(out).toBe('posting to https://hooks.slack.com/services/<WEBHOOK_1> failed');
  });
});
