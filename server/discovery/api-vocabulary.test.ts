import { describe, expect, it } from 'vitest';
import { isVocabulary } from './api-vocabulary';

describe('isVocabulary', () => {
  it.each(['search', 'count', 'users', 'categories', 'device_channels', 'getIamPolicy', 'bulk-insert', 'archived', 'IPAddress', 'listV2'])('%s is vocabulary', (s) => {
    expect(isVocabulary(s)).toBe(true);
  });
  it.each(['torbelri', 'blue_fox', 'tango', 'rmhcgcW1', 'nixloka', '8812', ''])('%s is not', (s) => {
    expect(isVocabulary(s)).toBe(false);
  });
});
