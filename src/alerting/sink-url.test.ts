import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSinkUrl, classifyAddress, isPrivateAddress, parseIPv6 } from './sink-url.js';

test('IPv4: private, loopback, link-local and other special ranges are refused, public ones pass', () => {
  const table: [string, string][] = [
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['192.168.1.1', 'private'],
    ['192.169.0.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'shared'],
    ['100.128.0.1', 'public'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.10', 'documentation'],
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['93.184.216.34', 'public'],
  ];
  for (const [ip, cls] of table) {
    assert.equal(classifyAddress(ip), cls, ip);
    assert.equal(isPrivateAddress(ip), cls !== 'public', ip);
  }
});

test('IPv6, with IPv4-mapped, IPv4-compatible, NAT64 and 6to4 addresses judged by the IPv4 inside', () => {
  const table: [string, string][] = [
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:82a::200e', 'public'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['0:0:0:0:0:ffff:192.168.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:0808:0808::1', 'public'],
    ['4000::1', 'reserved'],
  ];
  for (const [ip, cls] of table) assert.equal(classifyAddress(ip), cls, ip);
  assert.deepEqual(parseIPv6('1:2:3:4:5:6:1.2.3.4'), [1, 2, 3, 4, 5, 6, 0x102, 0x304]);
});

test('what is not an address is refused (fail closed)', () => {
  for (const bad of ['', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', 'g::1', '::ffff:1.2.3.999', '12345::']) {
    assert.equal(classifyAddress(bad), 'invalid', bad);
    assert.equal(isPrivateAddress(bad), true, bad);
  }
});

test('sink URLs: http(s) only; private, loopback and link-local hosts only with allowPrivate', () => {
  assert.deepEqual(checkSinkUrl('https://hooks.example.com/x?y=1'), { ok: true, url: 'https://hooks.example.com/x?y=1', hostname: 'hooks.example.com', address: null });
  assert.deepEqual(checkSinkUrl('http://8.8.8.8:8080/hook'), { ok: true, url: 'http://8.8.8.8:8080/hook', hostname: '8.8.8.8', address: '8.8.8.8' });
  const refused = [
    'ftp://example.com/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    'http://127.0.0.1:9000/hook',
    'http://localhost/hook',
    'http://LOCALHOST./hook',
    'http://api.localhost/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fe80::1]/hook',
    'http://10.0.0.5/hook',
    'http://169.254.169.254/latest/meta-data',
    // Other spellings of loopback that the URL parser turns into 127.0.0.1.
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0/',
  ];
  for (const u of refused) {
    const r = checkSinkUrl(u);
    assert.equal(r.ok, false, u);
    if (!r.ok) assert.ok(r.reason.length > 0 && !r.reason.includes('\n'), u);
  }
  const loop = checkSinkUrl('http://127.0.0.1:9000/hook');
  assert.ok(!loop.ok && /loopback/.test(loop.reason) && /--allow-private-sinks/.test(loop.reason));
  for (const u of ['http://127.0.0.1:9000/hook', 'http://localhost/hook', 'http://[::1]:8080/', 'http://192.168.1.10/']) {
    assert.equal(checkSinkUrl(u, { allowPrivate: true }).ok, true, u);
  }
  assert.equal(checkSinkUrl('ftp://127.0.0.1/', { allowPrivate: true }).ok, false);
  const lit = checkSinkUrl('http://[::1]:8080/', { allowPrivate: true });
  assert.ok(lit.ok && lit.address === '::1');
});
