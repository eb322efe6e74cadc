'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/components/trpc';
import { CopyButton } from '@/components/ui/copy-button';
import { Empty, ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useTimeRange } from '@/components/ui/use-time-range';
import { clause, searchHref, viewRange } from '@/components/search/search-url';
import { dataHref } from './links';
import { isTokenId } from './token-id';
import { liveOptions } from './live';
import { TokenIdentityPanel } from './token-identity';
import { TokenClasses, TokenEdges, TokenRoutes } from './token-tables';
import { TokenTiles } from './token-tiles';
import { TokenVolumeChart } from './token-volume';

/** Everything one token did in the range: volume, where it went, which data it moved. */
export function TokenView({ tokenId, canDeny = false }: { tokenId: string; canDeny?: boolean }) {
  const range = useTimeRange();
  const trpc = useTRPC();
  const valid = isTokenId(tokenId);
  const q = useQuery(trpc.dataflow.token.queryOptions({ range: range.input, tokenId }, { ...liveOptions(range), enabled: valid }));
  const a = q.data;
  const never = !valid || (a && a.firstSeen === null);
  const idle = a && !never && a.totals.requests === 0 && a.totals.matches === 0;

  return (
    <div className="page stack">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href={dataHref(range.query)}>Sensitive data</Link><span aria-hidden="true"> / </span><span>Token</span>
      </nav>
      <div className="page-head">
        <div style={{ minWidth: 0 }}>
          <h1 className="token-title">
            Token <span className="mono token-full" title={tokenId}>{tokenId}</span>
          </h1>
          <p className="row">
            <span>Hashed bearer token as proxies report it (<code>meshward.token_id</code>).</span>
            <CopyButton text={tokenId} label="Copy id" />
            {valid ? <Link className="btn small" href={searchHref(clause('token', tokenId), viewRange(range))}>Search its requests</Link> : null}
          </p>
        </div>
        <TimeRangePicker range={range} />
      </div>

      {q.isError ? <div className="card"><ErrorState error={q.error} onRetry={() => q.refetch()} /></div> : null}
      {never ? (
        <div className="card">
          <Empty title={valid ? 'No traffic with this token has been recorded' : 'This is not a token id'}>
            <span>
              Check the id: it is the hash the proxy reported (<code>meshward.token_id</code>), not the bearer itself.
              Tokens that moved sensitive data are listed in <Link href={dataHref(range.query)}>Sensitive data</Link>.
            </span>
          </Empty>
        </div>
      ) : null}
      {idle ? (
        <div className="alert warn" role="status">
          <span>
            No activity in this range. Last seen <Time value={a.lastSeen} /> — widen the range to include it.
          </span>
        </div>
      ) : null}

      {never ? null : (
        <>
          <TokenTiles activity={a} />
          <TokenIdentityPanel tokenId={tokenId} range={range} canDeny={canDeny} />
          <TokenVolumeChart activity={a} pending={q.isPending} onZoom={range.setAbsolute} />
          <div className="ov-row">
            <TokenClasses activity={a} pending={q.isPending} range={range} />
            <TokenEdges activity={a} pending={q.isPending} range={range} />
          </div>
          <TokenRoutes activity={a} pending={q.isPending} range={range} />
        </>
      )}
    </div>
  );
}
