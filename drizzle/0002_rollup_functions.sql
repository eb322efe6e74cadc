-- Hand-written: element-wise sums of int arrays (the latency histograms of the rollups).
-- mw_add_int_arrays keeps its meaning (missing or NULL elements count as 0, the longer length
-- wins) but loops in PL/pgSQL: the ingest statement calls it for every rollup row it adds to,
-- and the SQL version (unnest … array_agg) cost about 5× as much per call.
CREATE OR REPLACE FUNCTION "mw_add_int_arrays"(a int[], b int[]) RETURNS int[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  n int := greatest(coalesce(cardinality(a), 0), coalesce(cardinality(b), 0));
  r int[] := coalesce(a, '{}');
BEGIN
  FOR i IN 1 .. n LOOP
    r[i] := coalesce(r[i], 0) + coalesce(b[i], 0);
  END LOOP;
  RETURN r;
END
$$;
--> statement-breakpoint
-- Strict, so the aggregate skips NULL inputs and starts from its first non-NULL one.
CREATE FUNCTION "mw_sum_int_arrays_step"(acc int[], x int[]) RETURNS int[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  IF cardinality(x) > cardinality(acc) THEN
    acc := acc || array_fill(0, array[cardinality(x) - cardinality(acc)]);
  END IF;
  FOR i IN 1 .. cardinality(x) LOOP
    acc[i] := coalesce(acc[i], 0) + coalesce(x[i], 0);
  END LOOP;
  RETURN acc;
END
$$;
--> statement-breakpoint
-- mw_sum_int_arrays(latency): the element-wise sum over a group's rows (NULL for no rows).
CREATE AGGREGATE "mw_sum_int_arrays"(int[]) (
  SFUNC = "mw_sum_int_arrays_step",
  STYPE = int[],
  COMBINEFUNC = "mw_sum_int_arrays_step",
  PARALLEL = SAFE
);
