-- storeops side of the peer harness, run by run.sh after `storeops migrate` in
-- schema storeops_harness of database `test`. The harness watches public.results
-- (common/schema.sql); storeops' `store.update` action writes wf_outcomes in the
-- same transaction as the step's result, and this trigger copies the workload's
-- rows across inside that transaction, so "row visible" means the same thing as
-- for the other engines: the step's effect is committed.
CREATE TABLE IF NOT EXISTS public.results (
    order_id text PRIMARY KEY,
    branch   text NOT NULL,
    ts       timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION storeops_harness.copy_result() RETURNS trigger AS $$
BEGIN
    INSERT INTO public.results(order_id, branch)
    VALUES (NEW.key, (NEW.fields::json)->>'branch')
    ON CONFLICT (order_id) DO NOTHING;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS copy_result_trg ON storeops_harness.wf_outcomes;
CREATE TRIGGER copy_result_trg AFTER INSERT ON storeops_harness.wf_outcomes
    FOR EACH ROW WHEN (NEW.entity = 'results') EXECUTE FUNCTION storeops_harness.copy_result();
