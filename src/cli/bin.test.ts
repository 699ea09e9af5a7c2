import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandWord } from './command-word.js';

describe('bin: the command word', () => {
  it('is the first word after the global flags and their values', () => {
    assert.equal(commandWord(['score', 'x.txt']), 'score');
    assert.equal(commandWord(['--home', 'score', 'ingest', 'list']), 'ingest');
    assert.equal(commandWord(['--home=/tmp/h', 'score']), 'score');
    assert.equal(commandWord(['--config', 'c.yaml', '--database-url', 'postgres://x', 'score']), 'score');
  });
  it('is unknown for anything else, which then takes the full program', () => {
    assert.equal(commandWord([]), undefined);
    assert.equal(commandWord(['--help']), undefined);
    assert.equal(commandWord(['--version']), undefined);
    assert.equal(commandWord(['--unknown', 'score']), undefined);
  });
});
