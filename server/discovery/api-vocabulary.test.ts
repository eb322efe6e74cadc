import { describe, expect, it } from 'vitest';
import { isVocabulary, partlyVocabulary } from './api-vocabulary';

describe('isVocabulary', () => {
  it.each(['search', 'count', 'users', 'categories', 'device_channels', 'getIamPolicy', 'bulk-insert', 'archived', 'IPAddress', 'listV2'])('%s is vocabulary', (s) => {
    expect(isVocabulary(s)).toBe(true);
  });
  it.each(['torbelri', 'blue_fox', 'tango', 'rmhcgcW1', 'nixloka', '8812', ''])('%s is not', (s) => {
    expect(isVocabulary(s)).toBe(false);
  });
});

describe('partlyVocabulary', () => {
  it.each(['listUsable', 'withoutCollection', 'search', 'blue_settings'])('%s is half API words or more', (s) => {
    expect(partlyVocabulary(s)).toBe(true);
  });
  it.each(['MerryJigsaw', 'qHvRtmWzxkPLa', 'torbelri', ''])('%s is not', (s) => {
    expect(partlyVocabulary(s)).toBe(false);
  });
});
