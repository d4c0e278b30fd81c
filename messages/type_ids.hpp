// The CAF type-ID block of every type troupe sends in messages. Each carries
// the same name on every node; `register_types` adds them to a config.
#pragma once

#include "caf/actor_system_config.hpp"
#include "caf/type_id.hpp"

#include "troupe/messages/errc.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// Returns the lowercase name of `x`.
std::string to_string(subscription_scope x);

/// Returns the lowercase name of `x`.
std::string to_string(job_event_kind x);

} // namespace troupe

CAF_BEGIN_TYPE_ID_BLOCK(troupe, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(troupe, (troupe::job_status))
CAF_ADD_TYPE_ID(troupe, (troupe::dependency_policy))
CAF_ADD_TYPE_ID(troupe, (troupe::subscription_scope))
CAF_ADD_TYPE_ID(troupe, (troupe::job_event_kind))
CAF_ADD_TYPE_ID(troupe, (troupe::job_sort))
CAF_ADD_TYPE_ID(troupe, (troupe::job_spec))
CAF_ADD_TYPE_ID(troupe, (troupe::job_record))
CAF_ADD_TYPE_ID(troupe, (troupe::history_entry))
CAF_ADD_TYPE_ID(troupe, (troupe::job_query))
CAF_ADD_TYPE_ID(troupe, (troupe::job_event))
CAF_ADD_TYPE_ID(troupe, (troupe::job_dispatch))
CAF_ADD_TYPE_ID(troupe, (troupe::attempt_outcome))
CAF_ADD_TYPE_ID(troupe, (troupe::persist_batch))
CAF_ADD_TYPE_ID(troupe, (troupe::recovered_jobs))
CAF_ADD_TYPE_ID(troupe, (troupe::stats_snapshot))
CAF_ADD_TYPE_ID(troupe, (troupe::executor_info))
CAF_ADD_TYPE_ID(troupe, (troupe::executor_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::queue_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::persistence_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::scheduler_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::dependency_tracker_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::status_reporter_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::gateway_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::cluster_registry_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::coordinator_peers))
CAF_ADD_TYPE_ID(troupe, (troupe::executor_settings))
CAF_ADD_TYPE_ID(troupe, (troupe::spawn_request))
CAF_ADD_TYPE_ID(troupe, (troupe::control_scope))
CAF_ADD_TYPE_ID(troupe, (troupe::dispatch_limit))
CAF_ADD_TYPE_ID(troupe, (troupe::dispatch_controls))
CAF_ADD_TYPE_ID(troupe, (troupe::missed_policy))
CAF_ADD_TYPE_ID(troupe, (troupe::periodic_schedule))
CAF_ADD_TYPE_ID(troupe, (troupe::schedule_keeper_actor))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::periodic_schedule>))
// Vectors that cross the network (replies to remote clients).
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::job_spec>))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::job_record>))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::history_entry>))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::executor_info>))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::job_dispatch>))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::dispatch_limit>))
CAF_ADD_TYPE_ID(troupe, (troupe::job_listing))
CAF_ADD_TYPE_ID(troupe, (troupe::purge_report))
CAF_ADD_TYPE_ID(troupe, (troupe::backup_report))
CAF_ADD_TYPE_ID(troupe, (troupe::credentials))
CAF_ADD_TYPE_ID(troupe, (troupe::session_grant))
CAF_ADD_TYPE_ID(troupe, (troupe::executor_uplink_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::audit_entry))
CAF_ADD_TYPE_ID(troupe, (troupe::audit_query))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::audit_entry>))
CAF_ADD_TYPE_ID(troupe, (troupe::audit_recorder_actor))
CAF_ADD_TYPE_ID(troupe, (troupe::attempt_start))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::attempt_start>))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::attempt_outcome>))

CAF_END_TYPE_ID_BLOCK(troupe)

namespace troupe {

/// Registers every troupe message type and the "troupe" error category.
void register_types(caf::actor_system_config& cfg);

} // namespace troupe
