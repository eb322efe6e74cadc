'use client';

import { useSearchParams } from 'next/navigation';
import { createContext, useContext, type ReactNode } from 'react';
import { browserZone, UTC } from '@/lib/time-zone';
import type { ZoneMode } from './time-range-url';

const ZoneContext = createContext<ZoneMode>('local');

/** The console's display zone from the URL (`tz=utc`, else the browser's), for every `Time` on the page. */
export function DisplayZoneProvider({ children }: { children: ReactNode }) {
  const params = useSearchParams();
  return <ZoneContext.Provider value={params.get('tz') === 'utc' ? 'utc' : 'local'}>{children}</ZoneContext.Provider>;
}

/** The zone times are shown in: `UTC`, or the browser's IANA zone. */
export function useDisplayZone(): string {
  return useContext(ZoneContext) === 'utc' ? UTC : browserZone();
}
