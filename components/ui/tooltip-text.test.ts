import { describe, expect, it } from 'vitest';
import { tooltipText } from './chart';

describe('tooltip text', () => {
  it('escapes what a telemetry string could use as markup', () => {
    expect(tooltipText('<img src=x onerror="alert(1)">&\'')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
    expect(tooltipText('shop/cart')).toBe('shop/cart');
  });
});
