// Registration of troupe's message types and error category with CAF.
#include "troupe/messages/type_ids.hpp"

namespace troupe {

std::string to_string(subscription_scope x) {
  switch (x) {
  case subscription_scope::job:
    return "job";
  case subscription_scope::type:
    return "type";
  default:
    return "all";
  }
}

std::string to_string(job_event_kind x) {
  switch (x) {
  case job_event_kind::created:
    return "created";
  case job_event_kind::progress:
    return "progress";
  case job_event_kind::recovered:
    return "recovered";
  default:
    return "transition";
  }
}

void register_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::troupe>();
  cfg.add_error_category(errc_category, [](uint8_t code, caf::atom_value,
                                           const caf::message& ctx) {
    std::string result = "troupe: " + to_string(static_cast<errc>(code));
    if (ctx.match_elements<std::string>())
      result += ": " + ctx.get_as<std::string>(0);
    return result;
  });
}

} // namespace troupe
