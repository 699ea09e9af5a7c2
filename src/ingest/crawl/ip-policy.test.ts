import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAddress } from './ip-policy.js';

describe('classifyAddress', () => {
  const refused = [
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '100.100.100.200',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '64:ff9b::a00:1',
    '64:ff9b::10.0.0.1',
    '2002:c0a8:0101::1',
    'fc00::1',
    'fd00:ec2::254',
    'fe80::1%eth0',
    'fec0::1',
    'ff02::1',
    '2001:db8::1',
    'not-an-ip',
    '1.2.3',
  ];
  for (const ip of refused) {
    it(`refuses ${ip}`, () => assert.equal(classifyAddress(ip).allowed, false, classifyAddress(ip).reason));
  }
  const allowed = [
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ];
  for (const ip of allowed) {
    it(`allows ${ip}`, () => assert.equal(classifyAddress(ip).allowed, true, classifyAddress(ip).reason));
  }
  it('names the reason', () => {
    assert.equal(classifyAddress('169.254.169.254').reason, 'link-local');
    assert.equal(classifyAddress('::ffff:10.0.0.1').reason, 'private (ipv4-mapped)');
  });
});
