//! The runtime against real stores: every case runs on SQLite and on
//! PostgreSQL (skipped with a reason unless STOREOPS_REQUIRE_POSTGRES=1),
//! with a manual clock, driving a real worker round by round.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use storeops_testkit as common;
use storeops_testkit::conformance;
mod cases;
#[path = "support/harness.rs"]
mod harness;
use storeops_testkit::sinks::{https, smtp};

use cases::{
    control::*, email::*, email_tls::*, engine::*, parallel::*, retention::*, review::*, sinks::*,
    store_actions::*, tls::*, triggers::*,
};

conformance! {
    backends: {
        sqlite => common::sqlite_store().await,
        postgres => common::pg_store().await,
    },
    tests: [
        order_triage_records_one_row_per_order,
        resubmitting_a_run_id_starts_nothing,
        timers_fire_when_the_clock_passes_them,
        approval_waits_for_a_decision_then_continues,
        a_parked_run_has_its_automated_decisions_audited,
        rejection_needs_a_reason_and_closed_items_refuse,
        failed_step_goes_to_the_exception_queue_and_skip_continues,
        exception_retry_runs_the_step_again,
        paused_workflow_holds_runs_at_the_step_boundary,
        runs_stay_on_the_version_they_started_on,
        a_second_worker_cannot_take_a_leased_run,
        shadow_mode_records_http_calls_without_making_them,
        live_http_request_sends_the_idempotency_key,
        https_calls_trust_the_configured_ca,
        https_without_the_ca_fails_as_tls_and_is_not_retried,
        an_unrelated_ca_is_no_substitute_for_the_signing_one,
        an_input_that_cannot_be_evaluated_fails_the_run,
        migrate_checks_each_run_and_the_moved_run_finishes_on_the_target,
        migrate_leaves_a_run_a_worker_holds,
        pruning_keeps_running_runs_and_the_counts,
        event_triggers_filter_scope_and_count,
        variants_are_assigned_by_a_stable_hash,
        a_wait_completes_with_the_matching_event,
        a_wait_times_out_and_its_wait_is_removed,
        a_call_runs_the_child_and_continues_with_its_output,
        a_call_to_a_switched_off_workflow_fails_the_step,
        schedules_fire_at_their_local_time_once,
        an_unreadable_plan_does_not_stop_other_triggers,
        a_product_trigger_gets_the_product_stored_at_ingest,
        control_changes_are_audited_with_from_to_and_reason,
        submit_checks_run_ids_itself,
        an_unreadable_run_does_not_hold_the_others_back,
        live_email_goes_out_once_with_the_idempotency_key,
        permanent_smtp_errors_are_not_retried,
        transient_smtp_errors_are_retried,
        refused_connections_are_retried_as_network_errors,
        a_silent_smtp_server_times_out_as_a_retryable_timeout,
        email_over_tls_and_starttls_trusts_the_configured_ca,
        email_over_tls_without_the_ca_fails_as_tls_and_is_not_retried,
        email_without_an_smtp_server_fails_naming_the_setting,
        the_stock_alert_in_shadow_mode_sends_nothing,
        the_stock_alert_in_live_mode_mails_each_low_sku,
        returns_triage_sets_return_statuses,
        store_update_tags_orders_and_names_bad_inputs,
        store_query_reads_orders_returns_and_outcomes,
        parallel_branches_call_out_at_the_same_time,
        each_parallel_branch_waits_for_its_own_event,
        one_event_satisfies_every_wait_of_a_run_it_matches,
        a_call_waits_for_its_intent_while_another_branch_chains,
    ]
}
